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
