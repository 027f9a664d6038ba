"""Thin Celery tasks: the periodic scan and the sending of one reminder."""

from celery import shared_task
from django.db import transaction

from . import reminders


@shared_task(name="certification.tasks.scan_reminders", acks_late=True)
def scan_reminders() -> int:
    """Create the reminders due now and queue their sending."""
    ids = reminders.scan()
    for reminder_id in ids:
        transaction.on_commit(lambda rid=reminder_id: send_reminder.delay(rid))
    return len(ids)


@shared_task(
    name="certification.tasks.send_reminder",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
)
def send_reminder(self, reminder_id: int) -> bool:
    try:
        return reminders.deliver(reminder_id)
    except OSError as exc:  # mail server down: retry with back-off
        raise self.retry(exc=exc, countdown=min(3600, 30 * 2**self.request.retries)) from exc
