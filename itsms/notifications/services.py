"""In-app notifications: small and reusable (evidence expiry now, reminders later).

``notify`` writes one row; pages and the API read them through the organisation-scoped
base. Email is sent separately by whoever notifies (through Django's email framework, from a
task).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from itsms.models import Notification, Organization, User


def notify(*, organization: Organization, user: User, text: str, url: str = "") -> Notification:
    """Tell ``user`` something about ``organization``; returns the stored notification."""
    notification = Notification(organization=organization, user=user, text=text[:500], url=url)
    notification.full_clean()
    notification.save()
    return notification


def for_user(user: User, organization: Organization):
    return Notification.objects.filter(user=user, organization=organization)


@transaction.atomic
def mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User, organization: Organization) -> int:
    return for_user(user, organization).unread().update(read_at=timezone.now())
