"""The one checkpoint of every organisation page.

``OrganizationMixin`` resolves ``/o/<org_slug>/`` among the user's organisations (an outsider
gets 404: existence does not leak), checks the role's capability for the request's method
(403), and hands the view rows only through the restricted queryset
(``Model.objects.restrict(user, action)``, narrowed to the organisation):

- reads: ``scoped(Model)`` / ``get_queryset()`` (``view``);
- writes: ``get_object()`` finds the row among those the user may see (404 otherwise) and
  among those they may ``object_action`` / ``write_action`` (403 otherwise). A POST runs in one
  transaction; the rows it fetched for writing (and those it creates, ``created(obj)``) are
  read again through the restricted queryset afterwards, and the whole request is rolled back
  when one fell outside it (NetBox's ``ObjectEditView``).

Views never call ``Model.objects`` on a tenant-owned model; ``tests/test_no_unscoped_queries.py``
enforces it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import permissions
from .permissions import Capability

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: Session key: where to continue once the second factor an organisation requires is set up.
AFTER_MFA_SETUP = "itsms_after_mfa_setup"


def second_factor_setup(request, organization):
    """Take a user the organisation requires a second factor of to its set-up; they come back
    to the page they asked for."""
    if request.method in SAFE_METHODS and not request.headers.get("HX-Request"):
        request.session[AFTER_MFA_SETUP] = request.get_full_path()
    else:
        request.session.setdefault(
            AFTER_MFA_SETUP, reverse("itsms:organization_detail", args=[organization.slug])
        )
    # No flash message: the set-up page names the organisations that require it (once).
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("mfa_index")
        return response
    return redirect("mfa_index")


#: How many recently opened organisations the switcher lists first.
RECENT = 5


def remember_organization(request, organization) -> None:
    """Keep the current organisation, and the slugs of the last few opened, in the session
    (the switcher lists those first). The session is written only when they change."""
    if not hasattr(request, "session"):
        return
    recent = request.session.get("recent_orgs") or []
    updated = [organization.slug] + [s for s in recent if s != organization.slug][: RECENT - 1]
    if request.session.get("current_org") != organization.slug:
        request.session["current_org"] = organization.slug
    if recent != updated:
        request.session["recent_orgs"] = updated


class OrganizationMixin(LoginRequiredMixin):
    """Scope a view to the organisation in its URL."""

    #: capability needed to read the page
    capability = Capability.VIEW
    #: capability needed to POST (defaults to ``capability``)
    write_capability = None
    #: the view's model, for ``get_queryset`` and ``get_object``
    model = None
    #: the policy action a POST does to the view's object ("change", "delete", ...)
    write_action = "change"
    #: the policy action the view needs on its object for every method (e.g. an edit form:
    #: "change"); None: "view" to read, ``write_action`` to post
    object_action = None
    #: the URL keyword naming the view's object
    pk_url_kwarg = "pk"

    def required_capability(self, request):
        if request.method in SAFE_METHODS:
            return self.capability
        return self.write_capability or self.capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        organization, membership = permissions.organization_and_membership(
            request.user, kwargs.get("org_slug")
        )
        if organization is None:
            raise Http404("No such organisation.")
        self.organization = organization
        if permissions.second_factor_missing(request.user, organization):
            return second_factor_setup(request, organization)
        request.session.pop(AFTER_MFA_SETUP, None)  # arrived: no "continue" link any more
        self.membership = membership
        # The navigation reads these: no second membership query in the same request.
        request.organization, request.membership = organization, membership
        if not permissions.membership_allows(self.membership, self.required_capability(request)):
            raise PermissionDenied
        remember_organization(request, organization)
        # Times on the organisation's pages are in its zone (the middleware resets it).
        timezone.activate(organization.zoneinfo)
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        self._written = []
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            self._ensure_written_within()
            if response.status_code >= 400:
                transaction.set_rollback(True)  # a refused write leaves nothing behind
        return response

    # --- reads ---------------------------------------------------------------------------

    def restricted(self, model, action="view"):
        """``model``'s rows of this organisation the user may ``action``."""
        return model.objects.restrict(self.request.user, action).filter(
            organization=self.organization
        )

    def scoped(self, model):
        """``model``'s rows of this organisation the user may see: the only way views reach
        tenant data."""
        return self.restricted(model, "view")

    def get_queryset(self):
        return self.scoped(self.model)

    # --- writes --------------------------------------------------------------------------

    def action_for(self, request):
        if self.object_action:
            return self.object_action
        return "view" if request.method in SAFE_METHODS else self.write_action

    def get_object(self, queryset=None, *, pk=None, action=None):
        """The view's object: 404 unless the user may see it, 403 unless they may do
        ``action`` to it (by default ``action_for(request)``). Fetched for a write, it is
        read again through the restricted queryset when the request ends."""
        queryset = self.get_queryset() if queryset is None else queryset
        pk = self.kwargs.get(self.pk_url_kwarg) if pk is None else pk
        try:
            obj = queryset.get(pk=pk)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise Http404("No such object.") from None
        action = action or self.action_for(self.request)
        if action != "view":
            self.require_allowed(obj, action)
        return obj

    def require_allowed(self, obj, action):
        """403 unless the user may ``action`` this row; a write is re-checked at the end."""
        if not self.allows(action, obj):
            raise PermissionDenied
        if self.request.method not in SAFE_METHODS:
            self._written.append((type(obj), obj.pk, action))
        return obj

    def created(self, obj, action="add"):
        """Register a row created by this request: it must be one the user may ``action``."""
        self._written.append((type(obj), obj.pk, action))
        return obj

    def allows(self, action, obj) -> bool:
        return permissions.allows(self.request.user, action, obj)

    def _ensure_written_within(self):
        for model, pk, action in self._written:
            if action == "delete" or pk is None:
                continue  # gone, or soft-deleted on purpose
            if not model.objects.filter(pk=pk).exists():
                continue  # deleted by the request itself
            if not model.objects.restrict(self.request.user, action).filter(pk=pk).exists():
                transaction.set_rollback(True)
                raise PermissionDenied

    def can(self, capability):
        return permissions.membership_allows(self.membership, capability)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organization=self.organization,
            membership=self.membership,
            capabilities={c.value for c in Capability if self.can(c)},
        )
        return context
