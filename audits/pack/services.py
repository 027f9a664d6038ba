"""Writes of the audit pack: the request and the build's bookkeeping.

One build per audit at a time (a database constraint); a build that has not moved for
``EXPORT_STALE_MINUTES`` was lost with its worker and gives way to a new request. The
build runs in the Celery task ``audits.tasks.build_audit_pack``; its progress is written as it
goes (outside any transaction, so the page sees it), its ZIP is stored in the default storage.
"""

from __future__ import annotations

import logging
import os
import time
import uuid

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from itsms.models.exports import BUILD_FAILED, IN_PROGRESS, INTERRUPTED
from itsms.shared import signing

from ..models import Audit, AuditPack, PackStatus
from . import build

logger = logging.getLogger("audits.pack")

#: The page's progress is written at most this often (seconds), and after the last file.
PROGRESS_EVERY = 0.5


@transaction.atomic
def pack_request(*, audit: Audit, actor, language: str) -> AuditPack:
    """Ask for a new pack of ``audit``; the one already being built is returned instead."""
    Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)  # one request at a time
    current = AuditPack.objects.filter(audit=audit, status__in=IN_PROGRESS).first()
    if current is not None:
        if not current.is_stale():
            return current
        AuditPack.objects.filter(pk=current.pk).update(
            status=PackStatus.FAILED,
            finished_at=timezone.now(),
            error=INTERRUPTED,
        )
    pack = AuditPack(
        organization_id=audit.organization_id,
        audit=audit,
        requested_by=actor,
        language=language,
    )
    pack.full_clean()
    pack.save()
    from ..tasks import build_audit_pack  # the task calls back into this module

    transaction.on_commit(lambda: build_audit_pack.delay(pack.pk))
    return pack


def _progress(pack_id: int):
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < PROGRESS_EVERY:
            return
        last = now
        AuditPack.objects.filter(pk=pack_id).update(
            done=done, total=total, progressed_at=timezone.now()
        )

    return report


def pack_build(*, pack_id: int) -> AuditPack | None:
    """Build the pack (the task's body). A pack already built or failed is left alone."""
    claimed = AuditPack.objects.filter(pk=pack_id, status__in=IN_PROGRESS).update(
        status=PackStatus.BUILDING, progressed_at=timezone.now(), done=0
    )
    if not claimed:
        return None
    pack = AuditPack.objects.select_related(
        "organization", "requested_by", "audit__organization", "audit__certification_body"
    ).get(pk=pack_id)
    try:
        built = build.build(pack, progress=_progress(pack.pk))
        try:
            name = f"audit-packs/{pack.organization_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.zip"
            with open(built.path, "rb") as handle:
                name = default_storage.save(name, File(handle))
        finally:
            os.unlink(built.path)
    except Exception:
        logger.exception("Audit pack %s of audit %s failed", pack.pk, pack.audit_id)
        AuditPack.objects.filter(pk=pack.pk).update(
            status=PackStatus.FAILED,
            finished_at=timezone.now(),
            error=BUILD_FAILED,
        )
        return None
    files = built.evidence_count + built.failed_count + 4
    AuditPack.objects.filter(pk=pack.pk).update(
        status=PackStatus.READY,
        file=name,
        size=built.size,
        sha256=built.sha256,
        key_id=signing.key_id(),
        evidence_count=built.evidence_count,
        failed_count=built.failed_count,
        done=files,
        total=files,
        finished_at=timezone.now(),
        progressed_at=timezone.now(),
    )
    pack.refresh_from_db()
    return pack
