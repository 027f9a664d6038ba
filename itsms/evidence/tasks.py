"""Periodic jobs of evidence (scheduled in ``itsms.beat``): they call services. The email a job
leads to is delivered by its task in ``emails.py``."""

from celery import shared_task

from .services import evidence_expire_due, version_text_extract


@shared_task(name="itsms.tasks.expire_evidence", acks_late=True)
def expire_evidence() -> int:
    """Daily: mark approved evidence past its review-by date as expired, notify each owner."""
    return len(evidence_expire_due())


@shared_task(
    name="itsms.evidence.tasks.extract_version_text",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def extract_version_text(version_id: int) -> bool:
    """After an upload: read the version's text once, for search (``text.py``)."""
    return version_text_extract(version_id=version_id)
