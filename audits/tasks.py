"""Celery tasks of the audits app: thin, they take ids and call a service."""

from celery import shared_task

from .pack import services as pack_services


@shared_task(name="audits.tasks.build_audit_pack", acks_late=True, soft_time_limit=3600)
def build_audit_pack(pack_id: int) -> None:
    """Build one audit pack (``audits.pack.services.pack_build``)."""
    pack_services.pack_build(pack_id=pack_id)
