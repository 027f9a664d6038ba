"""The one checkpoint of every tenant endpoint.

``OrganizationScopedViewSet`` scopes lists to the organisation named by the
required ``organization`` filter (the slug) and details to the user's own
organisations: an object of another organisation answers 404. Each action
needs a role capability (403 when the member's role lacks it).
"""

import re

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


def scoped_list_schema(viewset_class):
    """Document the required ``organization`` filter on the list action."""
    return extend_schema_view(list=extend_schema(parameters=[ORGANIZATION_PARAMETER]))(
        viewset_class
    )


class RoleCapability(drf_permissions.BasePermission):
    """Checks the viewset's capability for the action on the object's organisation."""

    def has_object_permission(self, request, view, obj):
        capability = view.capability_for(request)
        if not permissions.can(request.user, capability, view.organization_of(obj)):
            raise exceptions.PermissionDenied(
                _("Your role in this organisation does not allow this.")
            )
        return True


class OrganizationScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [drf_permissions.IsAuthenticated, RoleCapability]
    read_capability = Capability.VIEW
    write_capability = Capability.CHANGE_ORGANIZATION

    def capability_for(self, request):
        if request.method in drf_permissions.SAFE_METHODS:
            return self.read_capability
        return self.write_capability

    def organization_of(self, obj):
        return obj.organization

    def list_organization(self):
        """The organisation named by ``?organization=``: required, and must be the user's."""
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
            raise exceptions.PermissionDenied(
                _("Your role in this organisation does not allow this.")
            )
        return organization

    def get_queryset(self):
        base = self.queryset.all()
        if getattr(self, "swagger_fake_view", False):
            return base.none()
        if self.action == "list":
            return base.filter(organization=self.list_organization())
        mine = permissions.organizations_for(self.request.user).values("pk")
        return base.filter(organization__in=mine)
