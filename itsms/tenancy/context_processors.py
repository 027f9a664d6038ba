"""Navigation data for every page: the user's organisations and the current one."""

from itsms.models import Role
from itsms.shared import permissions


class NavEntry:
    """An organisation in the switcher, with the user's role in it (members and auditors)."""

    def __init__(self, organization, role):
        self.organization = organization
        self.role = role
        self.pk = organization.pk

    def get_role_display(self):
        return Role(self.role).label


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    roles = dict(user.memberships.values_list("organization_id", "role"))
    entries = [
        NavEntry(org, roles.get(org.pk, Role.AUDITOR))  # not a member: an assigned auditor
        for org in permissions.organizations_for(user).order_by("name")
    ]
    current_slug = None
    match = getattr(request, "resolver_match", None)
    if match and "org_slug" in match.kwargs:
        current_slug = match.kwargs["org_slug"]
    elif hasattr(request, "session"):
        # Pages that belong to no organisation (clause tree, account) keep the last one.
        current_slug = request.session.get("current_org")
    current = next((e for e in entries if e.organization.slug == current_slug), None)
    return {"nav_memberships": entries, "nav_current": current, "nav_roles": Role}
