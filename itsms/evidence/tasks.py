"""Periodic jobs of evidence (scheduled in ``itsms.beat``): they call services. The email a job
leads to is delivered by its task in ``emails.py``."""

from celery import shared_task

from .services import evidence_expire_due


@shared_task(name="itsms.tasks.expire_evidence", acks_late=True)
def expire_evidence() -> int:
    """Daily: mark approved evidence past its review-by date as expired, notify each owner."""
    return len(evidence_expire_due())
