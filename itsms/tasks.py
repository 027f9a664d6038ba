"""Thin Celery tasks of the core: they take ids, re-fetch, call a service."""

from importlib import import_module

from celery import shared_task
from django.conf import settings

from .models import Invitation


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_invitation_email(self, invitation_id: int, link: str) -> bool:
    """Send one invitation email; retried with back-off when the mail server fails."""
    from .services import invitation_send_email

    invitation = Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != "pending":
        return False
    try:
        invitation_send_email(invitation, link)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True


@shared_task
def clear_expired_sessions() -> None:
    """Remove expired sessions (Django leaves this to a periodic job)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task(acks_late=True)
def expire_evidence() -> int:
    """Daily: mark approved evidence past its review-by date as expired, notify each owner."""
    from .evidence.services import evidence_expire_due

    return len(evidence_expire_due())


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_evidence_expired_email(self, evidence_id: int, user_id: int) -> bool:
    """Email an owner that their evidence expired; retried with back-off."""
    from .evidence.services import evidence_expired_send_email
    from .models import Evidence, User

    evidence = Evidence.objects.select_related("organization").filter(pk=evidence_id).first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if evidence is None or recipient is None:
        return False
    try:
        evidence_expired_send_email(evidence, recipient)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True


@shared_task
def snapshot_readiness() -> int:
    """Record each organisation's readiness of the day (the dashboard's trend)."""
    from .assessment import snapshot_readiness as snapshot
    from .models import Organization

    count = 0
    for organization in Organization.objects.iterator():
        snapshot(organization)
        count += 1
    return count
