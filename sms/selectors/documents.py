"""Reads of the 7.5.4 checklist, and the gate's question "all 7.5.4 documents present and
approved?" (for the stage-2 gate of the certification project)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from itsms.models import DocumentStatus, Evidence

from ..models import DocumentChecklistItem, DocumentRequirement, DocumentState


def counting_q(today: date, prefix: str = "evidence__") -> Q:
    """Evidence that counts (``Evidence.objects.counting``), as a filter through a relation."""
    return (
        Q(**{f"{prefix}deleted_at__isnull": True})
        & Q(**{f"{prefix}status": DocumentStatus.APPROVED})
        & (Q(**{f"{prefix}review_by__isnull": True}) | Q(**{f"{prefix}review_by__gte": today}))
    )


def checklist(queryset: QuerySet, today: date) -> list[DocumentChecklistItem]:
    """The organisation's checklist items (``queryset`` scoped) with their requirement, clause,
    linked evidence and state (``item.state``), in the order of 7.5.4 (2 queries)."""
    items = list(
        queryset.select_related("requirement__clause")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(deleted_at__isnull=True)
                .select_related("approved_by")
                .order_by("title"),
            )
        )
        .order_by("requirement__order")
    )
    for item in items:
        linked = list(item.evidence.all())
        item.counting = [e for e in linked if e.counts(today)]
        item.state = DocumentChecklistItem.state_of(len(linked), len(item.counting))
    return items


@dataclass(frozen=True)
class DocumentsState:
    """The answer for the stage-2 gate: every 7.5.4 document present and approved?"""

    total: int
    present: int
    missing: list[DocumentRequirement]

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.missing


def documents_state(organization, today: date) -> DocumentsState:
    """Which 7.5.4 documents are missing or not approved in the organisation (one query).

    A requirement whose checklist row does not exist yet counts as missing.
    """
    requirements = list(
        DocumentRequirement.objects.select_related("clause")
        .annotate(
            counting=Count(
                "items__evidence",
                filter=Q(items__organization=organization) & counting_q(today, "items__evidence__"),
                distinct=True,
            )
        )
        .order_by("order")
    )
    missing = [r for r in requirements if not r.counting]
    return DocumentsState(
        total=len(requirements), present=len(requirements) - len(missing), missing=missing
    )


def all_documents_present_and_approved(organization, today: date | None = None) -> bool:
    """The stage-2 gate's condition: every document of 7.5.4 has approved, current evidence."""
    return documents_state(organization, today or organization.local_today()).complete


def state_label(state: str) -> str:
    return DocumentState(state).label
