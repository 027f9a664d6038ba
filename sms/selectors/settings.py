"""The organisation's risk scale (its ``SmsSettings``, or the default until it sets one)."""

from __future__ import annotations

from ..models import SmsSettings


def settings_of(organization) -> SmsSettings:
    """The organisation's settings; unsaved defaults (1–5) until someone changes them.

    Cached on the organisation object for the request (one query at most).
    """
    cached = organization.__dict__.get("_sms_settings")
    if cached is None:
        cached = SmsSettings.objects.filter(organization=organization).first() or SmsSettings(
            organization=organization
        )
        organization.__dict__["_sms_settings"] = cached
    return cached
