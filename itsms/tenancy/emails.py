"""Emails of tenancy: the invitation link. Each email has its sender (renders and sends, in the
organisation's language) and the Celery task that delivers it, retried with back-off; services
queue the task with ``transaction.on_commit``."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from itsms.models import Invitation


def invitation_send_email(invitation: Invitation, link: str) -> None:
    """Email the invitation link, in the organisation's language."""
    context = {"invitation": invitation, "link": link, "organization": invitation.organization}
    with translation.override(invitation.organization.language):
        subject = _("You are invited to %(org)s on ITSMS Workbench") % {
            "org": invitation.organization.name
        }
        body = render_to_string("itsms/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@shared_task(
    name="itsms.tasks.send_invitation_email",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
)
def send_invitation_email(self, invitation_id: int, link: str) -> bool:
    """Send one invitation email; retried with back-off when the mail server fails."""
    invitation = Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != "pending":
        return False
    try:
        invitation_send_email(invitation, link)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True
