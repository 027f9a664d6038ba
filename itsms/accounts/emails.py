"""Emails of accounts: security notices (a new sign-in from a new device; a password or a second
factor changed, a session signed out — the latter written by allauth's templates). Each is
rendered in the request, in the reader's language, and delivered by a Celery task, retried with
back-off; the sender queues it with ``transaction.on_commit``."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def reader_language(user) -> str:
    """The language a security notice to ``user`` is written in: their organisations' language
    when they all share one (the site admin or a command may send it, in another language),
    else the language of the request that caused it."""
    languages = set(user.memberships.values_list("organization__language", flat=True))
    if len(languages) == 1:
        return languages.pop()
    return translation.get_language() or settings.LANGUAGE_CODE


def queue_email(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Deliver a rendered email once the transaction commits."""
    transaction.on_commit(lambda: deliver_email.delay(subject, body, list(to), html))


def new_device_email(*, user, user_agent: str, ip: str | None, when) -> None:
    """Tell the user someone signed in to their account from a browser not seen before."""
    from .devices import describe

    with translation.override(reader_language(user)):
        context = {
            "user": user,
            "device": describe(user_agent),
            "ip": ip or "?",
            "when": when,
            "account_url": settings.SITE_URL.rstrip("/") + "/account/",
        }
        subject = _("New sign-in to your ITSMS Workbench account")
        body = render_to_string("itsms/email/new_device.txt", context)
    queue_email(subject=subject, body=body, to=[user.email])


@shared_task(
    name="itsms.accounts.emails.deliver_email",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
)
def deliver_email(self, subject: str, body: str, to: list[str], html: str | None = None) -> bool:
    """Send one rendered email; retried with back-off when the mail server fails."""
    message = EmailMultiAlternatives(subject, body, None, to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError as exc:  # SMTP unreachable, refused, timed out
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return True
