"""Evidence items with their versions: real small files in the bench media folder, hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.utils import timezone

from itsms.models import DocumentStatus, Evidence, EvidenceVersion

from .base import Context

KINDS = ("policy", "procedure", "plan", "record", "record", "report", "agreement", "other")
CONFIDENTIALITY = ("public", "internal", "internal", "confidential", "restricted")
#: Final status of an item; most of a mature register is approved.
STATUS_WEIGHTS = {
    DocumentStatus.APPROVED: 60,
    DocumentStatus.DRAFT: 15,
    DocumentStatus.IN_REVIEW: 12,
    DocumentStatus.SUPERSEDED: 8,
    DocumentStatus.EXPIRED: 5,
}


def _write_file(ctx: Context, org_id: int, text: str) -> tuple[str, int, str]:
    """Store ``text`` as a stored evidence file would be; return its name, size and SHA-256."""
    data = text.encode()
    name = f"evidence/{org_id}/{ctx.today:%Y}/{ctx.hex_name()}.txt"
    path = Path(ctx.media_root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name, len(data), hashlib.sha256(data).hexdigest()


def build_evidence(ctx: Context, org, count: int, versions: int, owners: list) -> list[Evidence]:
    """``count`` items of ``org``, each with ``versions`` versions; links to clauses."""
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    consultant = ctx.people["consultant"]
    items = []
    for i in range(count):
        status = ctx.rng.choices(statuses, weights=weights)[0]
        kind = ctx.rng.choice(KINDS)
        approved = status in (DocumentStatus.APPROVED, DocumentStatus.SUPERSEDED)
        deleted = ctx.rng.random() < 0.02
        review_by = None
        if ctx.rng.random() < 0.8:
            # Expired items are past their review-by date; the others spread over the year.
            review_by = ctx.days_ago(1, 90) if status == "expired" else ctx.days_ahead(-20, 400)
        items.append(
            Evidence(
                organization=org,
                title=f"{kind.title()} {i + 1:04d}: {ctx.sentence(4)[:-1]}",
                description=ctx.paragraph(2),
                kind=kind,
                owner=ctx.rng.choice(owners),
                confidentiality=ctx.rng.choice(CONFIDENTIALITY),
                effective_date=ctx.days_ago(30, 900),
                review_by=review_by,
                status=status,
                reviewer=ctx.rng.choice(owners) if status == "in_review" else None,
                approved_by=consultant if approved else None,
                approved_at=timezone.now() if approved else None,
                created_by=ctx.rng.choice(owners),
                deleted_at=timezone.now() if deleted else None,
                deleted_by=consultant if deleted else None,
                deletion_reason="Replaced by the group policy." if deleted else "",
            )
        )
    items = ctx.bulk(Evidence, items)
    rows = []
    for item in items:
        for number in range(1, versions + 1):
            text = f"{item.title}\nVersion {number}\n\n" + "\n".join(
                ctx.paragraph(3) for _ in range(ctx.rng.randint(1, 6))
            )
            name, size, sha256 = _write_file(ctx, org.pk, text)
            version = EvidenceVersion(
                organization=org,
                evidence=item,
                number=number,
                original_name=f"{item.kind}-{item.pk}-v{number}.txt",
                size=size,
                content_type="text/plain",
                sha256=sha256,
                change_note=ctx.sentence(6) if number > 1 else "First issue.",
                uploaded_by=item.created_by,
            )
            version.file.name = name
            rows.append(version)
    rows = ctx.bulk(EvidenceVersion, rows)
    latest = {v.evidence_id: v for v in rows}  # versions are in ascending number per item
    for item in items:
        item.current_version = latest[item.pk]
        if item.approved_by_id:
            item.approved_version = latest[item.pk]
    Evidence.objects.bulk_update(items, ["current_version", "approved_version"], batch_size=1_000)
    through = Evidence.clauses.through
    links = []
    for item in items:
        for clause in ctx.rng.sample(ctx.leaves, k=ctx.rng.randint(1, 3)):
            links.append(through(evidence_id=item.pk, clause_id=clause.pk))
    ctx.bulk(through, links)
    return items
