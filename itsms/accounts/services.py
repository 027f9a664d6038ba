"""Writes of accounts: the user's own preferences."""

from __future__ import annotations

from django.db import transaction

from itsms.models import User
from itsms.notifications.services import preference_set


@transaction.atomic
def preferences_set(*, user: User, channel: str, time_zone: str) -> User:
    """The user's notification channel and time zone (empty: the browser's), validated."""
    preference_set(user=user, channel=channel)
    user.time_zone = time_zone or ""
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user
