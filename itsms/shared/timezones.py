"""Which time zone a time is shown in, and the context an email or a PDF is rendered in.

Times are stored in UTC. A page of an organisation shows them in the organisation's zone
(``OrganizationMixin`` activates it); a page that belongs to no organisation (portfolio,
account, the notifications of every organisation) in the reader's: their preference
(``User.time_zone``), else the zone their browser reported (the ``tz`` cookie set by
``static/js/app.js``), else ``settings.TIME_ZONE``. Emails and PDFs are rendered inside
``organization_context``: the organisation's language and time zone.
"""

from __future__ import annotations

import zoneinfo
from contextlib import contextmanager
from functools import lru_cache

from django.utils import timezone, translation

#: The cookie in which the browser reports its IANA zone (``Intl.DateTimeFormat``).
BROWSER_COOKIE = "tz"


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_zone(name: str | None) -> str | None:
    """``name`` if it is a known IANA zone, else None (a cookie is user input)."""
    return name if name and name in _known() else None


def browser_zone(request) -> str | None:
    return valid_zone(getattr(request, "COOKIES", {}).get(BROWSER_COOKIE))


def reader_zone(request) -> str | None:
    """The reader's zone: their preference, else their browser's, else None (the default)."""
    user = getattr(request, "user", None)
    preferred = getattr(user, "time_zone", "") if user and user.is_authenticated else ""
    return valid_zone(preferred) or browser_zone(request)


class ReaderTimezoneMiddleware:
    """Activate the reader's zone for pages (the API answers in UTC, with offsets)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None if request.path.startswith("/api/") else reader_zone(request)
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


@contextmanager
def organization_context(organization, language: str | None = None):
    """Render in ``organization``'s language (or ``language``) and time zone."""
    lang = language or organization.language or "en"
    with translation.override(lang), timezone.override(organization.zoneinfo):
        yield
