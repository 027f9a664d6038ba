"""The one checkpoint of every organisation page.

``OrganizationMixin`` resolves ``/o/<org_slug>/`` among the user's own
organisations (an outsider gets 404: existence does not leak), checks the
role's capability for the request's method (403), and hands the view
querysets already scoped to the organisation. Views never call
``Model.objects`` on a tenant-owned model; ``tests/test_no_unscoped_queries.py``
enforces it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
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
        if not permissions.role_allows(self.membership.role, self.required_capability(request)):
            raise PermissionDenied
        remember_organization(request, organization)
        # Times on the organisation's pages are in its zone (the middleware resets it).
        timezone.activate(organization.zoneinfo)
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, model):
        """``model``'s rows of this organisation: the only way views reach tenant data."""
        return model._default_manager.filter(organization=self.organization)

    def get_queryset(self):
        return self.scoped(self.model)

    def can(self, capability):
        return permissions.role_allows(self.membership.role, capability)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organization=self.organization,
            membership=self.membership,
            capabilities={c.value for c in Capability if self.can(c)},
        )
        return context
