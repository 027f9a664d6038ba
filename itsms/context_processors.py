"""Navigation data for every page: the user's organisations and the current one."""

from . import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    memberships = list(
        user.memberships.select_related("organization").order_by("organization__name")
    )
    current_slug = None
    match = getattr(request, "resolver_match", None)
    if match and "org_slug" in match.kwargs:
        current_slug = match.kwargs["org_slug"]
    elif hasattr(request, "session"):
        # Pages that belong to no organisation (clause tree, account) keep the last one.
        current_slug = request.session.get("current_org")
    current = next((m for m in memberships if m.organization.slug == current_slug), None)
    return {
        "nav_memberships": memberships,
        "nav_current": current,
        "nav_roles": permissions.Role,
    }
