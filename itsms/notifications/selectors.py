"""Reads of notifications: the signed-in user's, across the organisations they may still read."""

from __future__ import annotations

from itsms.models import Notification, User

#: Notifications listed on one page (the newest; older ones stay in the API).
PAGE = 100


def for_reader(user: User):
    """The user's own notifications, of the organisations they may read now (one query)."""
    return Notification.objects.restrict(user, "view")


def unread_count(user: User) -> int:
    """The number on the bell (one query)."""
    return for_reader(user).unread().count()


def latest_for_reader(user: User, *, unread_only: bool = False, limit: int = PAGE) -> list:
    queryset = for_reader(user).select_related("organization").order_by("-created_at", "-pk")
    if unread_only:
        queryset = queryset.unread()
    return list(queryset[:limit])
