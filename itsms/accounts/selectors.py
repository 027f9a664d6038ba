"""Reads of accounts: the user's second factors and sessions, as the account page shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from itsms.sso import selectors as sso

from . import devices


@dataclass
class SessionRow:
    pk: int
    device: str
    ip: str
    signed_in: datetime
    last_seen: datetime
    current: bool


def second_factors(user) -> dict:
    """The user's authenticator app, security keys and recovery codes (one query)."""
    found = {"totp": None, "keys": [], "recovery_left": None, "recovery_total": None}
    for authenticator in Authenticator.objects.filter(user_id=user.pk).order_by("created_at"):
        if authenticator.type == Authenticator.Type.TOTP:
            found["totp"] = authenticator
        elif authenticator.type == Authenticator.Type.WEBAUTHN:
            found["keys"].append(authenticator.wrap())
        elif authenticator.type == Authenticator.Type.RECOVERY_CODES:
            wrapped = authenticator.wrap()
            found["recovery_left"] = len(wrapped.get_unused_codes())
            found["recovery_total"] = len(wrapped.generate_codes())
    found["enabled"] = bool(found["totp"] or found["keys"])
    return found


def sessions_of(request) -> list[SessionRow]:
    """The user's signed-in sessions, the current one first, then the most recently seen.
    Sessions that ended meanwhile (expired, signed out) are cleared away on the way."""
    current = request.session.session_key
    rows = [
        SessionRow(
            pk=s.pk,
            device=devices.describe(s.user_agent),
            ip=s.ip,
            signed_in=s.created_at,
            last_seen=s.last_seen_at,
            current=s.session_key == current,
        )
        for s in UserSession.objects.purge_and_list(request.user)
    ]
    rows.sort(key=lambda r: (not r.current, -r.last_seen.timestamp()))
    return rows


def account_overview(request) -> dict:
    user = request.user
    provider = sso.provider_for_email(user.email)
    return {
        "factors": second_factors(user),
        "sessions": sessions_of(request),
        "identity_provider": provider,
        "password_sign_in": provider is None or not provider.password_sign_in_disabled,
    }
