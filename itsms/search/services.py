"""Writes of the search index: refresh the documents of some objects, rebuild an organisation.

Only this module writes ``SearchDocument`` rows. A refresh asks the kind for the documents of
the objects named, stores them (one upsert; tokens are computed only for text that changed)
and deletes the documents of the objects that yielded none (deleted, or no longer indexed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from itsms.models import Organization, SearchDocument

from . import analysis, registry
from .registry import Document, SearchKind, Target

BATCH = 500


def _group(targets: Iterable[Target]) -> dict[int, set[int] | None]:
    """``{organization_id: object ids, or None for all}``."""
    grouped: dict[int, set[int] | None] = defaultdict(set)
    for organization_id, object_id in targets:
        if grouped[organization_id] is None:
            continue
        if object_id is None:
            grouped[organization_id] = None
        else:
            grouped[organization_id].add(object_id)
    return grouped


@transaction.atomic
def refresh(kind: SearchKind, targets: Iterable[Target], *, force: bool = False) -> int:
    """Rebuild the documents of ``targets`` of ``kind``; returns how many were written.
    Unchanged text is not tokenised again unless ``force`` (after an upgrade of jieba)."""
    written = 0
    for organization_id, ids in _group(targets).items():
        id_list = None if ids is None else sorted(ids)
        documents = list(kind.documents(organization_id, id_list))
        written += _store(kind, organization_id, id_list, documents, force)
    return written


def _store(kind: SearchKind, organization_id: int, ids, documents: list[Document], force) -> int:
    existing_rows = SearchDocument.objects.filter(organization_id=organization_id, kind=kind.key)
    if ids is not None:
        existing_rows = existing_rows.filter(object_id__in=ids)
    existing = {
        row[0]: row[1:]
        for row in existing_rows.values_list(
            "object_id", "title", "body", "reference", "parent_id"
        ).iterator()
    }
    keep, changed = set(), []
    now = timezone.now()
    for document in documents:
        keep.add(document.object_id)
        title, body = document.title[:400], document.body[: analysis.MAX_TEXT]
        same = (title, body, document.reference, document.parent_id)
        if not force and existing.get(document.object_id) == same:
            continue
        changed.append(
            SearchDocument(
                organization_id=organization_id,
                kind=kind.key,
                object_id=document.object_id,
                parent_id=document.parent_id,
                reference=document.reference[:60],
                title=title,
                body=body,
                title_tokens=analysis.token_text(document.reference, title),
                body_tokens=analysis.token_text(body),
                updated_at=now,
            )
        )
    for start in range(0, len(changed), BATCH):
        SearchDocument.objects.bulk_create(
            changed[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["organization", "kind", "object_id"],
            update_fields=[
                "parent_id",
                "reference",
                "title",
                "body",
                "title_tokens",
                "body_tokens",
                "updated_at",
            ],
        )
    gone = set(existing) - keep
    if gone:
        existing_rows.filter(object_id__in=gone).delete()
    return len(changed)


def refresh_objects(model, organization_id: int, ids: Iterable[int] | None = None) -> int:
    """Refresh every kind that indexes ``model``, for these objects (all when None): for code
    that bulk-creates searchable rows (bulk writes send no signals)."""
    targets = [(organization_id, None)] if ids is None else [(organization_id, i) for i in ids]
    written = 0
    for kind in registry.kinds():
        if kind.model is model and targets:
            written += refresh(kind, targets)
    return written


def rebuild(organizations=None, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the index of these organisations (all when None), kind by kind, one
    organisation per transaction, every document tokenised again; returns the documents
    written per kind."""
    chosen = [k for k in registry.kinds() if kinds is None or k.key in set(kinds)]
    written: dict[str, int] = defaultdict(int)
    queryset = organizations if organizations is not None else Organization.objects.all()
    for organization_id in queryset.values_list("pk", flat=True).order_by("pk").iterator():
        with transaction.atomic():
            for kind in chosen:
                written[kind.key] += refresh(kind, [(organization_id, None)], force=True)
    return dict(written)
