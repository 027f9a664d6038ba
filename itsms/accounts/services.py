"""Writes of accounts: the user's preferences, what a sign-in records (the browser, the
session's first sighting), ending sessions, and the site admin's reset of lost second factors.

Keyword-only and atomic where they write; each records who acted.
"""

from __future__ import annotations

import logging
import secrets
import time

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itsms.models import KnownDevice, User
from itsms.models.security import hash_device_key
from itsms.notifications.services import preference_set

from . import devices
from .emails import new_device_email, queue_email, reader_language

log = logging.getLogger("itsms.security")

#: Session key: when the session's last-seen time was last written (epoch seconds).
SEEN_AT = "itsms_seen_at"


def client_ip(request) -> str | None:
    try:
        return get_account_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001  (no address at all: record none)
        return None


@transaction.atomic
def sign_in_record(*, request, user: User) -> KnownDevice:
    """Remember the browser ``user`` signed in from; a browser not seen before (when the user
    has signed in before) is reported to them by email. The browser's key travels in a signed
    cookie set by ``SessionActivityMiddleware``."""
    request.session[SEEN_AT] = int(time.time())
    _sign_in_counts_as_confirmation(request)
    key = request.get_signed_cookie(
        devices.DEVICE_COOKIE, default=None, salt=devices.DEVICE_COOKIE_SALT
    )
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    ip = client_ip(request)
    now = timezone.now()
    device = None
    if key:
        device = KnownDevice.objects.filter(user=user, key_hash=hash_device_key(key)).first()
    if device is not None:
        device.last_seen_at, device.ip, device.user_agent = now, ip, user_agent
        device.save(update_fields=["last_seen_at", "ip", "user_agent"])
        return device
    signed_in_before = KnownDevice.objects.filter(user=user).exists()
    key = key or secrets.token_urlsafe(32)
    device = KnownDevice.objects.create(
        user=user,
        key_hash=hash_device_key(key),
        user_agent=user_agent,
        ip=ip,
        first_seen_at=now,
        last_seen_at=now,
    )
    request._itsms_device_key = key
    if signed_in_before:
        new_device_email(user=user, user_agent=user_agent, ip=ip, when=now)
    return device


def _sign_in_counts_as_confirmation(request) -> None:
    """Changing second factors or the password asks to confirm who you are (allauth's
    re-authentication) unless you did within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``: the sign-in
    that just happened counts, so setting up the factor an organisation requires right after
    signing in does not ask for the password twice."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    now = time.time()
    changed = False
    for record in records:
        if now - record.get("at", 0) < 60 and not record.get("reauthenticated"):
            record["reauthenticated"] = True
            changed = True
    if changed:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


def passed_second_factor_recently(request) -> bool:
    """Did this session pass a second factor within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``?"""
    from allauth.account.authentication import get_authentication_records
    from django.conf import settings

    limit = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and time.time() - record.get("at", 0) < limit
        for record in get_authentication_records(request, request.user)
    )


def session_end(*, request, session: UserSession) -> None:
    """Sign one of the user's sessions out (the current one included)."""
    from allauth.usersessions.internal.flows.sessions import end_sessions

    end_sessions(request, [session])


def sessions_end_others(*, request, user: User) -> int:
    """Sign out every session of ``user`` but this one; how many were ended."""
    others = UserSession.objects.filter(user_id=user.pk).exclude(
        session_key=request.session.session_key
    )
    count = 0
    for session in others:
        session.end()
        count += 1
    return count


@transaction.atomic
def second_factors_reset(*, user: User, actor: User) -> int:
    """The site admin's answer to a lost authenticator: remove every second factor of ``user``
    (apps, keys, recovery codes), sign out all their sessions and tell them by email. They set
    up a new factor at their next sign-in (an organisation that requires one sends them there).
    """
    removed, _by_type = Authenticator.objects.filter(user_id=user.pk).delete()
    for session in UserSession.objects.filter(user_id=user.pk):
        session.end()
    user.__dict__.pop("_has_second_factor", None)
    log.warning("second factors of %s removed by %s (%d)", user.email, actor.email, removed)
    with translation.override(reader_language(user)):
        context = {"user": user, "actor": actor}
        body = render_to_string("itsms/email/second_factors_reset.txt", context)
        subject = _("Your second factors were removed")
    queue_email(subject=subject, body=body, to=[user.email])
    return removed


def sign_in(*, request, user: User) -> None:
    """Sign in someone whose identity was just established (an accepted invitation with a new
    password), as the sign-in form would: allauth's backend, then allauth's signal, so the
    session is listed on the account page and the browser is remembered."""
    from allauth.account.signals import user_logged_in
    from django.contrib.auth import login

    login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
    user_logged_in.send(sender=user.__class__, request=request, response=None, user=user)


@transaction.atomic
def preferences_set(*, user: User, channel: str, time_zone: str) -> User:
    """The user's notification channel and time zone (empty: the browser's), validated."""
    preference_set(user=user, channel=channel)
    user.time_zone = time_zone or ""
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user
