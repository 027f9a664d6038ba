"""Reminders that are sent exactly once.

The periodic scan (``scan``) decides what is due in each organisation's time zone and
creates one ``Reminder`` per (subject, kind, due date) under a unique constraint — running it
twice creates nothing new. ``deliver`` sends one reminder: a ``ReminderDelivery`` row per
recipient is written before sending; the email is claimed with a conditional UPDATE, sent,
then marked sent; the in-app notification is written in the same transaction that marks it.
A task that dies is redelivered (``acks_late``) and finds what was already done; reminders
whose task was lost (a broker restart) are queued again by the next scan.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from itsms.models import Membership, Organization, Role
from itsms.notifications.services import notify

from .deadlines import Deadline, deadlines_for
from .models import NotificationPreference, Reminder, ReminderDelivery

DEFAULT_OFFSETS = {
    # kind prefix: days before the due date (0 = on the day)
    "surveillance": [90, 30, 7],
    "recertification": [180, 90, 30],
    "nc-response": [14, 7, 1, 0],
    "transition": [90, 30, 7, 0],
    "evidence-review": [30, 7, 0],
}
OVERDUE_KINDS = {"surveillance", "nc-response", "transition", "recertification"}
CLAIM_LEASE = timedelta(minutes=10)
REQUEUE_AFTER = timedelta(minutes=15)


def offsets() -> dict[str, list[int]]:
    return {**DEFAULT_OFFSETS, **getattr(settings, "REMINDER_OFFSETS", {})}


def due_kind(deadline: Deadline, today) -> str | None:
    """The reminder kind due today for this deadline, or None.

    Only the most recent applicable offset fires, so a first scan close to the due date
    sends one reminder, not every earlier one at once.
    """
    prefix = (
        deadline.kind.split("-")[0] if deadline.kind.startswith("surveillance") else (deadline.kind)
    )
    if today > deadline.due:
        return f"{deadline.kind}:overdue" if prefix in OVERDUE_KINDS else None
    days_left = (deadline.due - today).days
    applicable = [d for d in offsets().get(prefix, []) if d >= days_left]
    if not applicable:
        return None
    return f"{deadline.kind}:-{min(applicable)}"


def scan(*, batch_size: int = 200, now=None) -> list[int]:
    """Create the reminders due now; return the ids of reminders still to send."""
    now = now or timezone.now()
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    to_send: list[int] = []
    for start in range(0, len(org_ids), batch_size):
        batch = list(Organization.objects.filter(pk__in=org_ids[start : start + batch_size]))
        today = {org.pk: timezone.localtime(now, org.zoneinfo).date() for org in batch}
        rows = []
        deadlines = []
        for language in sorted({org.language for org in batch}):
            # Titles are stored, so they are written in each organisation's own language.
            with translation.override(language):
                deadlines += deadlines_for([org for org in batch if org.language == language])
        for deadline in deadlines:
            kind = due_kind(deadline, today[deadline.organization_id])
            if kind:
                rows.append(
                    Reminder(
                        organization_id=deadline.organization_id,
                        subject_type=deadline.subject_type,
                        subject_id=deadline.subject_id,
                        kind=kind,
                        due_date=deadline.due,
                        title=deadline.title[:300],
                        url=deadline.url,
                    )
                )
        with transaction.atomic():
            Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        stale = now - REQUEUE_AFTER
        pending = Reminder.objects.filter(organization__in=batch, sent_at__isnull=True).filter(
            Q(attempts=0) | Q(created_at__lt=stale)
        )
        to_send += list(pending.values_list("pk", flat=True))
    return to_send


def recipients(reminder: Reminder):
    """Admins and consultants of the organisation, and the owner of the item."""
    from audits.models import CorrectiveAction
    from itsms.models import Evidence

    users = {
        m.user
        for m in Membership.objects.filter(
            organization_id=reminder.organization_id, role__in=(Role.ADMIN, Role.CONSULTANT)
        ).select_related("user")
        if m.user.is_active
    }
    owner_model = {"action": CorrectiveAction, "evidence": Evidence}.get(reminder.subject_type)
    if owner_model is not None:
        owner = owner_model.objects.filter(pk=reminder.subject_id).select_related("owner").first()
        if owner and owner.owner and owner.owner.is_active:
            users.add(owner.owner)
    return sorted(users, key=lambda u: u.pk)


def _channel(user) -> str:
    pref = NotificationPreference.objects.filter(user=user).values_list("channel", flat=True)
    return pref.first() or NotificationPreference.Channel.BOTH


def _email(reminder: Reminder, user) -> None:
    organization = reminder.organization
    language = organization.language if organization.language in ("en", "zh-hans") else "en"
    context = {
        "reminder": reminder,
        "organization": organization,
        "user": user,
        "link": settings.SITE_URL.rstrip("/") + reminder.url,
    }
    with translation.override(language):
        subject = render_to_string(
            f"certification/email/reminder_subject.{language}.txt", context
        ).strip()
        body = render_to_string(f"certification/email/reminder_body.{language}.txt", context)
    send_mail(subject, body, None, [user.email])


def deliver(reminder_id: int) -> bool:
    """Send one reminder to every recipient not yet served. Raises OSError to be retried."""
    reminder = Reminder.objects.select_related("organization").filter(pk=reminder_id).first()
    if reminder is None or reminder.sent_at is not None:
        return False
    Reminder.objects.filter(pk=reminder.pk).update(attempts=reminder.attempts + 1)
    for user in recipients(reminder):
        delivery, _ = ReminderDelivery.objects.get_or_create(
            reminder=reminder, user=user, defaults={"organization_id": reminder.organization_id}
        )
        channel = _channel(user)
        if channel in ("both", "in_app") and delivery.notified_at is None:
            with transaction.atomic():
                claimed = ReminderDelivery.objects.select_for_update(of=("self",)).get(
                    pk=delivery.pk
                )
                if claimed.notified_at is None:
                    notify(
                        organization=reminder.organization,
                        user=user,
                        text=reminder.title,
                        url=reminder.url,
                    )
                    claimed.notified_at = timezone.now()
                    claimed.save(update_fields=["notified_at"])
        if channel in ("both", "email") and delivery.email_sent_at is None:
            lease = timezone.now() - CLAIM_LEASE
            claimed = ReminderDelivery.objects.filter(
                Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=lease),
                pk=delivery.pk,
                email_sent_at__isnull=True,
            ).update(email_claimed_at=timezone.now())
            if not claimed:
                continue  # another worker is sending it right now
            try:
                _email(reminder, user)
            except OSError as exc:
                ReminderDelivery.objects.filter(pk=delivery.pk).update(email_claimed_at=None)
                Reminder.objects.filter(pk=reminder.pk).update(last_error=str(exc)[:1000])
                raise
            ReminderDelivery.objects.filter(pk=delivery.pk).update(email_sent_at=timezone.now())
    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), last_error=""
    )
    return True
