"""The one checkpoint of every tenant endpoint.

``OrganizationScopedViewSet`` replaces the viewset's queryset with the restricted one
(``Model.objects.restrict(user, "view")``): lists are scoped to the organisation named by the
required ``organization`` filter (400 without it, 404 for an organisation that is not the
user's), details to the rows the user may see (another organisation's object: 404). A write
needs the role capability of its action (403) and the object rule of its action on the row
(``restrict(user, action)``: 403 when the user sees the row but may not do that to it).

Creates: the organisation of a new object is resolved once, here, before the payload is
validated (``create_organization_field``: the ``organization`` slug, or the parent the new row
belongs to, e.g. ``audit``); the role must allow the ``add`` capability there (403). The
viewset's ``create_object`` / ``update_object`` call a service. Every write runs in one
transaction; the written row is read again through the restricted queryset and the request
is rolled back when it falls outside (NetBox's ``BaseViewSet``).

Serializers built on ``TenantSerializerMixin`` get their related fields narrowed to the
organisation (``itsms.shared.choices``) from the context this viewset provides.
"""

import re

from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework import permissions as drf_permissions

from . import permissions
from .permissions import Capability

SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def is_slug(value) -> bool:
    """Whether a request value can be an organisation's slug (a NUL or a list never reaches SQL)."""
    return isinstance(value, str) and SLUG_PATTERN.fullmatch(value) is not None


#: An organisation's slug, as the API reads it (an empty or malformed one answers 400).
SLUG_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 50, "pattern": "^[-a-zA-Z0-9_]+$"}

ORGANIZATION_PARAMETER = OpenApiParameter(
    "organization",
    SLUG_SCHEMA,
    OpenApiParameter.QUERY,
    required=True,
    description=_(
        "Slug of the organisation whose objects to list (required). Missing, empty or not a "
        "slug: 400; not one of your organisations: 404."
    ),
)

DENIED = _("Your role in this organisation does not allow this.")

#: The policy action of each standard viewset action.
ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def scoped_list_schema(viewset_class):
    """Document the required ``organization`` filter on the list action."""
    return extend_schema_view(list=extend_schema(parameters=[ORGANIZATION_PARAMETER]))(
        viewset_class
    )


class RoleCapability(drf_permissions.BasePermission):
    """The role capability of the action, on the object's organisation (403 otherwise)."""

    def has_object_permission(self, request, view, obj):
        capability = view.capability_for(request)
        if not permissions.can(request.user, capability, view.organization_of(obj)):
            raise exceptions.PermissionDenied(DENIED)
        return True


class OrganizationScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [drf_permissions.IsAuthenticated, RoleCapability]
    read_capability = Capability.VIEW
    write_capability = Capability.CHANGE_ORGANIZATION
    #: the field of the create payload that names the new object's organisation: its slug
    #: ("organization") or the parent row it belongs to (e.g. "audit", "process")
    create_organization_field = "organization"
    #: policy actions of the viewset's own actions (``{"transition": "change"}``); unnamed
    #: extra actions need "change" when they write
    object_actions: dict[str, str] = {}
    #: role capabilities of the viewset's own actions, when not the read / write capability
    action_capabilities: dict[str, str] = {}

    # --- what each request needs ----------------------------------------------------------

    def capability_for(self, request):
        action = getattr(self, "action", None)
        if action in self.action_capabilities:
            return self.action_capabilities[action]
        if action == "create":  # the capability of adding the model (its policy)
            return permissions.policy_of(self.queryset.model, "add").capability
        if request.method in drf_permissions.SAFE_METHODS:
            return self.read_capability
        return self.write_capability

    def policy_action(self):
        if self.action in self.object_actions:
            return self.object_actions[self.action]
        if self.action in ACTIONS:
            return ACTIONS[self.action]
        return "view" if self.request.method in drf_permissions.SAFE_METHODS else "change"

    def organization_of(self, obj):
        return obj.organization

    # --- reads ----------------------------------------------------------------------------

    def list_organization(self):
        """The organisation named by ``?organization=``: required, and must be the user's."""
        if hasattr(self, "_list_organization"):
            return self._list_organization
        slug = self.request.query_params.get("organization")
        if not slug:
            raise exceptions.ValidationError(
                {"organization": [_("This filter is required: the organisation's slug.")]}
            )
        if not is_slug(slug):
            raise exceptions.ValidationError(
                {"organization": [_("An organisation's slug has only letters, digits, - and _.")]}
            )
        organization = permissions.organizations_for(self.request.user).filter(slug=slug).first()
        if organization is None:
            raise exceptions.NotFound(_("No such organisation."))
        if not permissions.can(self.request.user, self.read_capability, organization):
            raise exceptions.PermissionDenied(DENIED)
        self._list_organization = organization
        return organization

    def get_queryset(self):
        base = self.queryset.all()
        if getattr(self, "swagger_fake_view", False):
            return base.none()
        base = base.restrict(self.request.user, "view")
        if self.action == "list":
            return base.filter(organization=self.list_organization())
        return base

    def get_object(self):
        """The row, among those the user may see (404); then the action's rule on it (403).

        A row of one of the user's organisations that their role may not read at all (an
        invitation for a contributor) answers 403, as the page would: no existence leaks, the
        organisation is theirs.
        """
        try:
            obj = super().get_object()
        except (exceptions.NotFound, Http404):
            self._refuse_unreadable_row()
            raise
        action = self.policy_action()
        if action != "view":
            if not permissions.allows(self.request.user, action, obj):
                raise exceptions.PermissionDenied(DENIED)
            self._written = (type(obj), obj.pk, action)
        return obj

    def _refuse_unreadable_row(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        try:
            row = (
                self.queryset.model.objects.filter(
                    organization__in=permissions.organizations_for(self.request.user),
                    **{self.lookup_field: lookup},
                )
                .select_related("organization")
                .first()
            )
        except (TypeError, ValueError):
            return
        if row is not None and not permissions.can(
            self.request.user, self.capability_for(self.request), row.organization
        ):
            raise exceptions.PermissionDenied(DENIED)

    # --- the serializer's choices -----------------------------------------------------------

    def get_serializer(self, *args, **kwargs):
        instance = args[0] if args else kwargs.get("instance")
        if isinstance(instance, models.Model):
            self._context_organization = self.organization_of(instance)
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.context_organization()
        return context

    def context_organization(self):
        """The organisation the payload's choices are narrowed to: the object's, the new
        object's, or the listed one."""
        if getattr(self, "_context_organization", None) is not None:
            return self._context_organization
        if getattr(self, "action", None) == "create":
            return getattr(self, "_create_organization", None)
        return getattr(self, "_list_organization", None)

    # --- creates: the organisation resolved once --------------------------------------------

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create" and not getattr(self, "swagger_fake_view", False):
            self._create_organization = self.resolve_create_organization()

    def resolve_create_organization(self):
        """The organisation of the object being created, from the payload's
        ``create_organization_field`` (the user's organisations only); 403 when the role may
        not add it there. None when the payload names none of the user's: validation says so."""
        name = self.create_organization_field
        value = self.request.data.get(name) if hasattr(self.request.data, "get") else None
        if value in (None, ""):
            return None
        if name == "organization":
            if not is_slug(value):  # a NUL (PostgreSQL refuses it) or a list never reaches SQL
                return None
            organization = (
                permissions.organizations_for(self.request.user).filter(slug=value).first()
            )
        else:
            parent_model = self.queryset.model._meta.get_field(name).related_model
            try:
                parent = (
                    parent_model.objects.restrict(self.request.user, "view")
                    .select_related("organization")
                    .filter(pk=int(value))
                    .first()
                )
            except (TypeError, ValueError):
                return None
            organization = parent.organization if parent else None
        if organization is None:
            return None
        capability = permissions.policy_of(self.queryset.model, "add").capability
        if not permissions.can(self.request.user, capability, organization):
            raise exceptions.PermissionDenied(DENIED)
        return organization

    def payload_organization(self, capability=None, field="organization"):
        """The organisation a payload names by its slug (an action that is not a create, e.g. a
        bulk assignment): 404 unless it is one of the user's, 403 unless their role allows
        ``capability`` (by default the action's) there."""
        capability = capability or self.capability_for(self.request)
        slug = self.request.data.get(field) if hasattr(self.request.data, "get") else None
        organization = (
            permissions.organizations_for(self.request.user).filter(slug=slug).first()
            if isinstance(slug, str) and slug
            else None
        )
        if organization is None:
            raise exceptions.NotFound(_("No such organisation."))
        if not permissions.can(self.request.user, capability, organization):
            raise exceptions.PermissionDenied(DENIED)
        self._context_organization = organization
        return organization

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = self._create_organization
        if name := self.create_organization_field:
            named = data.pop(name, None) if name == "organization" else data.get(name)
            named = getattr(named, "organization", named)
            if organization is None or named != organization:
                raise exceptions.ValidationError({name: [_("Choose one of your organisation.")]})
        serializer.instance = self.create_object(serializer, organization=organization, data=data)
        self._written = (type(serializer.instance), serializer.instance.pk, "add")

    def create_object(self, serializer, *, organization, data):
        """Create the row through its service; every creating viewset says how."""
        raise NotImplementedError(f"{type(self).__name__} creates through a service")

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        serializer.instance = self.update_object(
            serializer, instance=serializer.instance, data=data
        )

    def update_object(self, serializer, *, instance, data):
        """Change the row through its service; every updating viewset says how."""
        raise NotImplementedError(f"{type(self).__name__} changes through a service")

    def perform_destroy(self, instance):
        self.destroy_object(instance=instance)

    def destroy_object(self, *, instance):
        """Delete the row through its service; every deleting viewset says how."""
        raise NotImplementedError(f"{type(self).__name__} deletes through a service")

    def __init_subclass__(cls, **kwargs):
        """Writes go through ``create_object`` / ``update_object`` / ``destroy_object`` (a
        service): DRF's mixins' default ``serializer.save()`` / ``instance.delete()`` never
        run, and a viewset cannot write around the checkpoint."""
        super().__init_subclass__(**kwargs)
        for name in ("perform_create", "perform_update", "perform_destroy"):
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__}.{name}: write through create_object / update_object / "
                    "destroy_object, so the checkpoint resolves and re-reads the row"
                )
            setattr(cls, name, getattr(OrganizationScopedViewSet, name))

    # --- every write in one transaction, re-read through the restricted queryset ------------

    def dispatch(self, request, *args, **kwargs):
        if request.method in drf_permissions.SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        self._written = None
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        written = getattr(self, "_written", None)
        if written and response.status_code < 400:
            model, pk, action = written
            self._written = None
            outside = (
                action != "delete"
                and model.objects.filter(pk=pk).exists()
                and not model.objects.restrict(request.user, action).filter(pk=pk).exists()
            )
            if outside:
                transaction.set_rollback(True)
                response = self.handle_exception(exceptions.PermissionDenied(DENIED))
        return super().finalize_response(request, response, *args, **kwargs)
