"""What the second-factor pages show: which organisations require one, and where to continue
once it is set up. Both are evaluated only by a template that uses them (no query otherwise)."""

from functools import cache

from itsms.shared import permissions
from itsms.shared.views import AFTER_MFA_SETUP


def second_factor(request):
    user = getattr(request, "user", None)

    @cache
    def required_by():
        return [o.name for o in permissions.organizations_requiring_mfa(user)]

    def after_setup():
        session = getattr(request, "session", None)
        return session.get(AFTER_MFA_SETUP) if session is not None else None

    return {"mfa_required_by": required_by, "mfa_after_setup": after_setup}
