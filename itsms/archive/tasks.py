"""The organisation archive's Celery task: thin, it takes an id and calls the service."""

from celery import shared_task

from . import services


@shared_task(name="itsms.archive.tasks.build_archive", acks_late=True, soft_time_limit=6 * 3600)
def build_archive(archive_id: int) -> None:
    """Build one organisation archive (``itsms.archive.services.archive_build``)."""
    services.archive_build(archive_id=archive_id)
