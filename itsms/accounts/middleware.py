"""Middleware of accounts.

``SessionActivityMiddleware`` keeps each signed-in session's last-seen time and address
(``allauth.usersessions``' rows), writing at most once every ``SESSION_ACTIVITY_INTERVAL_SECONDS``
— allauth's own tracking writes on every request, which would cost every page a query — and
sets the cookie that recognises the browser at its next sign-in.

``AdminSecondFactorMiddleware``: with ``ADMIN_REQUIRE_MFA`` (production), the site admin
(``/admin/``) opens only for a session that passed a second factor.
"""

from __future__ import annotations

import time

from allauth.account.authentication import get_authentication_records
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import devices
from .services import SEEN_AT, client_ip


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            seen = session.get(SEEN_AT)
            now = int(time.time())
            if seen is not None and now - seen >= settings.SESSION_ACTIVITY_INTERVAL_SECONDS:
                UserSession.objects.filter(session_key=session.session_key).update(
                    last_seen_at=timezone.now(),
                    ip=client_ip(request) or "0.0.0.0",  # noqa: S104  (a field value)
                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                )
                session[SEEN_AT] = now
        key = getattr(request, "_itsms_device_key", None)
        if key:
            response.set_signed_cookie(
                devices.DEVICE_COOKIE,
                key,
                salt=devices.DEVICE_COOKIE_SALT,
                max_age=devices.DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def passed_second_factor(request) -> bool:
    """Did this session pass a second factor (at sign-in, with a passkey, or since)?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class AdminSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRE_MFA
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not passed_second_factor(request)
        ):
            from itsms.shared.permissions import has_second_factor

            messages.warning(
                request, _("The site administration needs a second factor: confirm it first.")
            )
            if not has_second_factor(request.user):
                return redirect("mfa_index")
            return redirect(
                reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)
