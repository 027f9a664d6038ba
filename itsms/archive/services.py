"""Writes of the organisation archive: the request and the build's bookkeeping."""

from __future__ import annotations

import logging
import os
import time
import uuid

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from itsms.models import Organization, OrganizationArchive
from itsms.models.exports import BUILD_FAILED, IN_PROGRESS, INTERRUPTED, ExportStatus
from itsms.shared import signing

from . import export

logger = logging.getLogger("itsms.archive")

PROGRESS_EVERY = 0.5


@transaction.atomic
def archive_request(*, organization: Organization, actor, language: str) -> OrganizationArchive:
    """Ask for a new archive of ``organization``; the one being built is returned instead."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = OrganizationArchive.objects.filter(
        organization=organization, status__in=IN_PROGRESS
    ).first()
    if current is not None:
        if not current.is_stale():
            return current
        OrganizationArchive.objects.filter(pk=current.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=INTERRUPTED
        )
    archive = OrganizationArchive(organization=organization, requested_by=actor, language=language)
    archive.full_clean()
    archive.save()
    from .tasks import build_archive  # the task calls back into this module

    transaction.on_commit(lambda: build_archive.delay(archive.pk))
    return archive


class _Progress:
    """Writes the progress as it goes. Inside the export's snapshot (PostgreSQL) it writes
    through a connection of its own, so the page sees it before the export ends."""

    def __init__(self, archive_id: int):
        self.archive_id = archive_id
        self.last = 0.0
        self.own = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        if connection.in_atomic_block and connection.vendor == "postgresql":
            if self.own is None:
                self.own = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.own.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {OrganizationArchive._meta.db_table} "  # noqa: S608 (our table)
                    "SET done = %s, total = %s, progressed_at = %s WHERE id = %s",
                    [done, total, timezone.now(), self.archive_id],
                )
        else:
            OrganizationArchive.objects.filter(pk=self.archive_id).update(
                done=done, total=total, progressed_at=timezone.now()
            )

    def close(self):
        if self.own is not None:
            self.own.close()


def archive_build(*, archive_id: int) -> OrganizationArchive | None:
    """Build the archive (the task's body). One already built or failed is left alone."""
    claimed = OrganizationArchive.objects.filter(pk=archive_id, status__in=IN_PROGRESS).update(
        status=ExportStatus.BUILDING, progressed_at=timezone.now(), done=0
    )
    if not claimed:
        return None
    archive = OrganizationArchive.objects.select_related("organization", "requested_by").get(
        pk=archive_id
    )
    progress = _Progress(archive.pk)
    try:
        built = export.build(
            archive.organization,
            requested_by=archive.requested_by,
            language=archive.language,
            progress=progress,
        )
        try:
            name = f"archives/{archive.organization_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.zip"
            with open(built.path, "rb") as handle:
                name = default_storage.save(name, File(handle))
        finally:
            os.unlink(built.path)
    except Exception:
        logger.exception(
            "Archive %s of organisation %s failed", archive.pk, archive.organization_id
        )
        OrganizationArchive.objects.filter(pk=archive.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=BUILD_FAILED
        )
        return None
    finally:
        progress.close()
    OrganizationArchive.objects.filter(pk=archive.pk).update(
        status=ExportStatus.READY,
        file=name,
        size=built.size,
        sha256=built.sha256,
        key_id=signing.key_id(),
        rows=built.rows,
        files=built.files,
        finished_at=timezone.now(),
        progressed_at=timezone.now(),
    )
    archive.refresh_from_db()
    return archive
