"""Telling one browser from another: a readable name for a user agent, and the long-lived cookie
that recognises a browser the user signed in from before."""

from functools import lru_cache

from django.utils.translation import gettext as _

#: The cookie holding the browser's random key (signed; only its SHA-256 is stored).
DEVICE_COOKIE = "itsms_device"
DEVICE_COOKIE_SALT = "itsms.accounts.devices"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 400


@lru_cache(maxsize=512)
def _parsed(user_agent: str):
    from ua_parser import parse

    return parse(user_agent)


def describe(user_agent: str) -> str:
    """“Chrome 131 on Windows”, or “Unknown browser”."""
    if not user_agent:
        return _("Unknown browser")
    result = _parsed(user_agent[:500])
    agent, system = result.user_agent, result.os
    browser = agent.family if agent and agent.family != "Other" else ""
    if browser and agent.major:
        browser = f"{browser} {agent.major}"
    platform = system.family if system and system.family != "Other" else ""
    if browser and platform:
        return _("%(browser)s on %(os)s") % {"browser": browser, "os": platform}
    return browser or platform or _("Unknown browser")
