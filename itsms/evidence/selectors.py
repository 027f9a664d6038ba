"""Reads of evidence, each in a constant number of queries.

Processes and services (the ``processes`` app, above the core) link to evidence through
their own many-to-many fields; the core reaches them only through those reverse relations
(``Evidence.processes`` / ``Evidence.services``), never by importing the app.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from itsms.shared import history
from itsms.standards.reference import PRIMARY
from itsms.standards.selectors import requirement_clauses

from ..models import Clause, Evidence, EvidenceVersion, Organization, User


def linkable_model(name: str):
    """The model behind ``Evidence.<name>`` ("processes", "services"), or None."""
    try:
        return Evidence._meta.get_field(name).related_model
    except FieldDoesNotExist:
        return None


def linkable(organization: Organization, name: str) -> QuerySet | None:
    """The organisation's processes or services that evidence may link to."""
    model = linkable_model(name)
    if model is None:
        return None
    queryset = model._default_manager.filter(organization=organization)
    if any(f.name == "clause" for f in model._meta.get_fields()):
        queryset = queryset.select_related("clause")
    return queryset


def linkable_clauses() -> QuerySet:
    """The requirement clauses of ISO/IEC 20000-1:2018 (the leaves of its tree)."""
    return requirement_clauses()


def members(organization: Organization) -> QuerySet:
    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )


def _link_prefetches() -> list:
    prefetches: list = [
        Prefetch(
            "clauses",
            queryset=Clause.objects.order_by("order").only(
                "pk", "number", "title_en", "title_zh_hans"
            ),
        )
    ]
    for name in ("processes", "services"):
        model = linkable_model(name)
        if model is None:
            continue
        queryset = model._default_manager.all()
        if any(f.name == "clause" for f in model._meta.get_fields()):
            queryset = queryset.select_related("clause")
        prefetches.append(Prefetch(name, queryset=queryset))
    return prefetches


def with_related(queryset: QuerySet) -> QuerySet:
    """Everything the register, the CSV export and the API show, in a fixed number of queries."""
    return queryset.select_related(
        "organization",
        "owner",
        "reviewer",
        "approved_by",
        "deleted_by",
        "current_version__uploaded_by",
        "approved_version",
    ).prefetch_related(*_link_prefetches())


def evidence_register(queryset: QuerySet, *, deleted: bool = False) -> QuerySet:
    """The register of an organisation (``queryset`` already scoped to it)."""
    queryset = queryset.filter(deleted_at__isnull=not deleted)
    return with_related(queryset)


def versions_of(evidence: Evidence) -> list[EvidenceVersion]:
    return list(evidence.versions.select_related("uploaded_by").order_by("-number"))


def evidence_for_clause(queryset: QuerySet, clause: Clause) -> list[Evidence]:
    """Live evidence of ``queryset`` (already scoped to the organisation and the reader) linked
    to ``clause`` (the clause assessment page)."""
    return list(
        queryset.alive()
        .filter(clauses=clause)
        .select_related("current_version", "owner")
        .order_by("title")
    )


def evidenced_clause_numbers(organization: Organization, today: date) -> set[str]:
    """Numbers of the clauses with at least one approved, unexpired, live evidence item."""
    return set(
        Clause.objects.filter(
            standard__code=PRIMARY,
            evidence__in=Evidence.objects.filter(organization=organization).counting(today),
        ).values_list("number", flat=True)
    )


def history_of(evidence: Evidence, limit: int = 100) -> list:
    """The item's history in words (``itsms.shared.history``), newest first."""
    records = evidence.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[: limit + 1]
    return history.history_entries(records, limit=limit)


def evidence_url(evidence: Evidence, absolute: bool = False) -> str:
    from itsms.shared.links import absolute_url

    path = reverse(
        "itsms:evidence_detail",
        kwargs={"org_slug": evidence.organization.slug, "pk": evidence.pk},
    )
    return absolute_url(path) if absolute else path
