"""How failed sign-ins are counted and how a lockout is answered, on the page and the API.

Two counts, both from django-axes' own records of failures (its ``AccessAttempt`` rows):

- **one account from one address** (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``,
  ``AXES_FAILURE_LIMIT``): guessing one account's password;
- **one address across accounts** (``AddressLockoutBackend``, ``AXES_ADDRESS_FAILURE_LIMIT``):
  one password tried on many accounts. Its limit is higher than the first: many people of one
  client sign in from one address (NAT), and one of them mistyping must not lock out the office.

axes offers one failure limit for every combination of parameters (adding ``"ip_address"`` to
``AXES_LOCKOUT_PARAMETERS`` would lock an address at the account's limit), hence the backend.
Emails count whatever their case. A locked-out sign-in answers 429 with ``lockout_message()``:
the sign-in page shows it above the form, the token endpoint returns it as ``detail``.
"""

from datetime import timedelta

from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def attempted_username(request, credentials) -> str | None:
    """The email a sign-in tried, in lower case (``AXES_USERNAME_CALLABLE``)."""
    value = None
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get("email")
    if value is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return value.strip().lower() if isinstance(value, str) else value


def cooloff_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


LOCKOUT_TITLE = _("Sign-in locked")


def lockout_response(request, original_response=None, credentials=None):
    """429 with the same message on the sign-in page and the API (``AXES_LOCKOUT_CALLABLE``)."""
    retry_after = str(cooloff_minutes() * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        from .forms import LoginForm

        form = LoginForm(request=request)
        response = TemplateResponse(
            request,
            "account/login.html",
            {"form": form, "lockout_message": lockout_message()},
            status=429,
        )
        response.render()
    response["Retry-After"] = retry_after
    return response


def address_failures(ip_address: str) -> int:
    """Failed sign-ins from this address within the cool-off, whatever the account."""
    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start")
    )["failures"]
    return total or 0


def locked_out(request, email: str) -> bool:
    """Is a sign-in as ``email`` from this request's address locked out, by either count? The
    second step of sign-in (a code, a key) asks it too."""
    if not settings.AXES_ENABLED:
        return False
    AxesProxyHandler.update_request(request)
    if AxesProxyHandler.is_locked(request, {settings.AXES_USERNAME_FORM_FIELD: email.lower()}):
        return True
    ip_address = request.axes_ip_address
    return bool(ip_address) and address_failures(ip_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class AddressLockoutBackend:
    """Refuses every sign-in from an address with too many failures across accounts.

    First in ``AUTHENTICATION_BACKENDS``; it signs nobody in. The refusal is counted by axes
    like any failure, and answered by ``lockout_response`` (429).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not settings.AXES_ENABLED:
            return None
        AxesProxyHandler.update_request(request)
        ip_address = request.axes_ip_address
        if ip_address and address_failures(ip_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied(lockout_message())
        return None
