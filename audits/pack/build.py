"""Writing an audit pack: a signed ZIP streamed to a temporary file, never held in memory.

Each evidence version is read from storage once, in chunks, into a small spooled buffer
(``SPOOL_BYTES`` in memory, the rest on disk) while its SHA-256 is computed; only a version
whose bytes match the hash recorded at upload goes into the ZIP, copied from that buffer, so
the bytes in the pack are the bytes that were verified. A mismatch (or a missing file) is
recorded on the version as a download's would be, and the version is listed in the manifest
under ``failed``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from itsms.evidence import services as evidence_services
from itsms.evidence import storage
from itsms.shared import manifests, signing

from ..models import AuditPack
from ..reports import audit_plan_pdf, audit_report_pdf
from .contents import Sampled, pack_path, sampled_versions
from .workbook import write_findings_workbook

#: What a version's copy may hold in memory before it spills to disk.
SPOOL_BYTES = 1024 * 1024
FORMAT = "itsms-audit-pack"
FORMAT_VERSION = 1
REPORT, PLAN, WORKBOOK = (
    "report/audit-report.pdf",
    "plan/audit-plan.pdf",
    "findings/findings-and-corrective-actions.xlsx",
)


@dataclass
class Built:
    path: str  # the temporary ZIP; the caller stores and removes it
    size: int
    sha256: str
    evidence_count: int
    failed_count: int


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _header(pack: AuditPack) -> dict:
    audit, organization = pack.audit, pack.organization
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": "ITSMS Workbench",
        "organization": {"name": organization.name, "slug": organization.slug},
        "audit": {
            "reference": audit.reference,
            "title": audit.title,
            "kind": audit.get_kind_display(),
            "standard": audit.get_standard_edition_display(),
            "certification_body": str(audit.certification_body or ""),
            "planned_start": _iso(audit.planned_start),
            "planned_end": _iso(audit.planned_end),
            "opening_meeting_on": _iso(audit.opening_meeting_on),
            "closing_meeting_on": _iso(audit.closing_meeting_on),
        },
        "language": pack.language,
        "time_zone": organization.time_zone,
        "requested_by": pack.requested_by.get_full_name() if pack.requested_by else "",
        "requested_at": _iso(pack.requested_at),
    }


def _describe(sampled: Sampled) -> dict:
    version = sampled.version
    return {
        "id": version.evidence_id,
        "title": version.evidence.title,
        "version": version.number,
        "original_name": version.original_name,
        "content_type": version.content_type,
        "uploaded_at": _iso(version.uploaded_at),
        "uploaded_by": version.uploaded_by.get_full_name() if version.uploaded_by else "",
    }


def _copy_version(signed: manifests.SignedZip, sampled: Sampled, path: str) -> dict | None:
    """Put the version into the ZIP if its stored bytes still hash to the recorded SHA-256;
    otherwise record the failure and list it. Returns the manifest entry, or None."""
    version = sampled.version
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, dir=manifests.temp_dir()) as spool:
        try:
            with storage.open_for_download(version.file.name) as handle:
                for chunk in manifests.iter_chunks(handle):
                    digest.update(chunk)
                    spool.write(chunk)
            observed = digest.hexdigest()
        except OSError:
            observed = "missing"
        if observed != version.sha256:
            evidence_services.integrity_failure_record(version=version, observed=observed)
            signed.add_failed(
                path=path,
                evidence=_describe(sampled),
                recorded_sha256=version.sha256,
                observed_sha256=observed,
                reason=_(
                    "The stored file does not match its recorded SHA-256; it is not in the pack."
                )
                if observed != "missing"
                else _("The stored file is missing; it is not in the pack."),
                sampled_in=sampled.sampled_in,
            )
            return None
        spool.seek(0)
        return signed.add_file(
            path,
            spool,
            reserved=True,
            kind="evidence",
            recorded_sha256=version.sha256,
            evidence=_describe(sampled),
            sampled_in=sampled.sampled_in,
        )


def _readme(pack: AuditPack, evidence: int, failed: int) -> bytes:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    text = render_to_string(
        "audits/pack_readme.txt",
        {
            "pack": pack,
            "audit": pack.audit,
            "organization": pack.organization,
            "generated": dateformat.format(timezone.localtime(timezone.now()), "Y-m-d H:i"),
            "evidence": evidence,
            "failed": failed,
            "key_id": signing.key_id(),
            "key_url": f"{site}/signing-key.pem",
            "report": REPORT,
            "plan": PLAN,
            "workbook": WORKBOOK,
        },
    )
    return text.replace("\n", "\r\n").encode("utf-8")  # Notepad reads it too


def build(pack: AuditPack, *, progress: Callable[[int, int], None] | None = None) -> Built:
    """Write the pack of ``pack.audit`` to a temporary ZIP; ``progress(done, total)`` is
    called after each file."""
    audit, organization = pack.audit, pack.organization
    progress = progress or (lambda done, total: None)
    with translation.override(pack.language), timezone.override(organization.zoneinfo):
        sampled = sampled_versions(audit)
        total, done = len(sampled) + 4, 0

        def tick():
            nonlocal done
            done += 1
            progress(done, total)

        progress(done, total)
        signed = manifests.SignedZip(header=_header(pack), prefix="audit-pack-")
        workbook_path = None
        try:
            signed.add_bytes(REPORT, audit_report_pdf(audit, language=pack.language), kind="report")
            tick()
            signed.add_bytes(PLAN, audit_plan_pdf(audit, language=pack.language), kind="plan")
            tick()
            rows = []
            for item in sampled:
                path = signed.unique_path(pack_path(item))
                entry = _copy_version(signed, item, path)
                rows.append(
                    {
                        "version": item.version,
                        "path": entry["path"] if entry else path,
                        "included": entry is not None,
                        "findings": item.findings,
                        "actions": item.actions,
                        "sampled_in": item.sampled_in,
                    }
                )
                tick()
            handle, workbook_path = tempfile.mkstemp(suffix=".xlsx", dir=manifests.temp_dir())
            os.close(handle)
            write_findings_workbook(workbook_path, audit, rows)
            with open(workbook_path, "rb") as workbook:
                signed.add_file(WORKBOOK, workbook, kind="workbook")
            tick()
            included = sum(1 for row in rows if row["included"])
            failed = len(rows) - included
            signed.add_bytes("README.txt", _readme(pack, included, failed), kind="readme")
            signed.add_bytes(
                "public-key.pem", signing.public_key_pem().encode("ascii"), kind="public-key"
            )
            path, size, sha256 = signed.finish()
            tick()
        except BaseException:
            signed.discard()
            raise
        finally:
            if workbook_path and os.path.exists(workbook_path):
                os.unlink(workbook_path)
    return Built(path, size, sha256, included, failed)
