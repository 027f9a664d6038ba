"""The email of a notification ("Evidence … was sent for your review"), in the organisation's
language and time zone, with an absolute link; its Celery task delivers it, retried with
back-off. ``services.notify`` queues it on commit for recipients whose preference includes
email."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from itsms.models import Organization, User
from itsms.shared.links import absolute_url
from itsms.shared.timezones import organization_context


def notification_send_email(organization: Organization, recipient: User, text: str, url: str):
    context = {
        "organization": organization,
        "recipient": recipient,
        "text": text,
        "link": absolute_url(url) if url else "",
    }
    with organization_context(organization):
        subject = render_to_string("itsms/email/notification_subject.txt", context).strip()
        body = render_to_string("itsms/email/notification.txt", context)
    send_mail(" ".join(subject.split())[:200], body, None, [recipient.email])


@shared_task(
    name="itsms.tasks.send_notification_email",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
)
def send_notification_email(self, *, organization_id: int, user_id: int, text: str, url: str):
    """Email one notification; retried with back-off when the mail server fails."""
    organization = Organization.objects.filter(pk=organization_id).first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if organization is None or recipient is None:
        return False
    try:
        notification_send_email(organization, recipient, text, url)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True
