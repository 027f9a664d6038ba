"""Navigation data for every page: the current organisation.

At most one query per request, and none on an organisation's page: the page's mixin has
already resolved the organisation and the membership (``request.organization``); a page of no
organisation resolves the last one opened (the session's ``current_org``) once. The switcher
lists nothing on the page itself: it loads its list when opened (``organization_search``: the
recently opened first, a screenful, and a search), so a consultant with 200 clients does not
get 200 of them on every page. The result is kept on the request, so fragments and panels
rendered with the request do not compute it again.
"""

from itsms.models import Role
from itsms.shared import permissions


class NavEntry:
    """An organisation in the navigation, with the user's role in it (members and auditors)."""

    def __init__(self, organization, role):
        self.organization = organization
        self.role = role
        self.pk = organization.pk

    def get_role_display(self):
        return Role(self.role).label


def _current(request):
    organization = getattr(request, "organization", None)
    if organization is not None:
        return NavEntry(organization, request.membership.role)
    match = getattr(request, "resolver_match", None)
    if match and "org_slug" in match.kwargs:
        slug = match.kwargs["org_slug"]  # a page that did not resolve it (an error page)
    else:
        slug = request.session.get("current_org") if hasattr(request, "session") else None
    organization, membership = permissions.organization_and_membership(request.user, slug)
    return NavEntry(organization, membership.role) if organization is not None else None


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    cached = getattr(request, "_navigation", None)
    if cached is not None:
        return cached
    request._navigation = {"nav_current": _current(request), "nav_roles": Role}
    return request._navigation
