"""Periodic jobs of the assessment (scheduled in ``itsms.beat``): they call services."""

from celery import shared_task

from itsms.models import Organization

from .services import snapshot_readiness as snapshot


@shared_task(name="itsms.assessment.tasks.read_preview")
def read_preview(preview_id: int) -> None:
    """Read a large uploaded workbook into its import preview (progress saved as it goes)."""
    from .imports import preview_read

    preview_read(preview_id)


@shared_task(name="itsms.tasks.snapshot_readiness")
def snapshot_readiness() -> int:
    """Record each organisation's readiness of the day (the dashboard's trend)."""
    count = 0
    for organization in Organization.objects.iterator():
        snapshot(organization)
        count += 1
    return count
