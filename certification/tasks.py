"""Thin Celery tasks: the periodic scan and the sending of reminders.

The scan queues one message per batch of ``QUEUE_BATCH`` reminder ids (``send_reminders``),
not one per reminder: handing 50,000 messages to the broker one by one costs seconds. A
reminder of a batch whose email fails is retried alone (``send_reminder``, with back-off).
"""

from celery import shared_task
from django.db import transaction

from . import reminders

QUEUE_BATCH = 500  # reminder ids per message


@shared_task(name="certification.tasks.scan_reminders", acks_late=True)
def scan_reminders() -> int:
    """Create the reminders due now and queue their sending, a batch of ids per message."""
    ids = reminders.scan()
    for start in range(0, len(ids), QUEUE_BATCH):
        batch = ids[start : start + QUEUE_BATCH]
        transaction.on_commit(lambda batch=batch: send_reminders.delay(batch))
    return len(ids)


@shared_task(name="certification.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of reminders; one that fails (mail server down) is retried on its own.

    Redelivered after a lost worker, the batch finds what was already sent (``deliver``)."""
    sent = 0
    for reminder_id in reminder_ids:
        try:
            sent += reminders.deliver(reminder_id)
        except OSError:
            send_reminder.apply_async((reminder_id,), countdown=30)
    return sent


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
