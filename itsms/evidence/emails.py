"""Emails of evidence: "your evidence expired". The sender renders and sends it in the
organisation's language; its Celery task delivers it, retried with back-off; services queue the
task with ``transaction.on_commit``."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from itsms.models import Evidence, User
from itsms.tenancy.selectors import recipients

from .selectors import evidence_url


def evidence_expired_send_email(evidence: Evidence, recipient: User) -> None:
    """Email the owner that their evidence expired, in the organisation's language."""
    context = {
        "evidence": evidence,
        "organization": evidence.organization,
        "recipient": recipient,
        "link": evidence_url(evidence, absolute=True),
    }
    with translation.override(evidence.organization.language):
        subject = _("Evidence expired: %(title)s") % {"title": evidence.title}
        body = render_to_string("itsms/email/evidence_expired.txt", context)
    send_mail(subject, body, None, [recipient.email])


@shared_task(
    name="itsms.tasks.send_evidence_expired_email",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
)
def send_evidence_expired_email(self, evidence_id: int, user_id: int) -> bool:
    """Email an owner that their evidence expired; retried with back-off."""
    evidence = Evidence.objects.select_related("organization").filter(pk=evidence_id).first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if evidence is None or recipient is None:
        return False
    if not recipients(evidence, among=[recipient]):
        return False  # no longer one who may see it (removed from the organisation meanwhile)
    try:
        evidence_expired_send_email(evidence, recipient)
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True
