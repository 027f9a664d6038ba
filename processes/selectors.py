"""Reads of the processes app, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from itsms.models import Clause, ClauseCorrelation, Organization, User
from itsms.shared import permissions
from itsms.standards.reference import PRIMARY

from .catalogue import (
    CHAPTERS,
    catalogue_clauses,
    chapter_of,
    predecessors_of,
    sub_requirements_of,
)
from .models import Kpi, KpiValue, ProcessInstance, ProcessStatus, Service

#: Values shown per KPI on the process page (and in its trend chart).
KPI_HISTORY_LENGTH = 12


@dataclass
class CatalogueEntry:
    """One process of the reference catalogue."""

    clause: Clause
    predecessors: list[ClauseCorrelation] = field(default_factory=list)
    sub_requirements: list[Clause] = field(default_factory=list)

    @property
    def chapter(self) -> str:
        return chapter_of(self.clause.number)


def process_catalogue() -> list[CatalogueEntry]:
    """The clause-8 processes with their 2011 counterparts and sub-requirements (3 queries)."""
    clauses = list(catalogue_clauses())
    ids = [c.pk for c in clauses]
    predecessors = predecessors_of(ids)
    children = sub_requirements_of(ids)
    return [CatalogueEntry(c, predecessors.get(c.pk, []), children.get(c.pk, [])) for c in clauses]


def catalogue_clause_queryset():
    """Catalogue clauses with their 2011 counterparts and sub-requirements, for the API."""
    return catalogue_clauses().prefetch_related(
        Prefetch(
            "correlations",
            queryset=ClauseCorrelation.objects.filter(
                kind=ClauseCorrelation.Kind.PREDECESSOR
            ).select_related("other__standard"),
            to_attr="predecessor_list",
        ),
        Prefetch(
            "children",
            queryset=Clause.objects.select_related("standard").order_by("order"),
            to_attr="child_list",
        ),
    )


def process_instances(queryset: QuerySet) -> QuerySet:
    """Process instances of an (already scoped) queryset, ready for a list."""
    return (
        queryset.select_related("clause", "clause__parent", "owner")
        .annotate(kpi_count=Count("kpis", distinct=True))
        .order_by("clause__order")
    )


def process_detail_kpis(instance: ProcessInstance) -> list[Kpi]:
    """The process's KPIs, each with its latest values (oldest first) in ``recent_values``."""
    recent = KpiValue.objects.select_related("recorded_by").order_by("-period_start")
    kpis = list(
        instance.kpis.order_by("name").prefetch_related(
            Prefetch("values", queryset=recent[:KPI_HISTORY_LENGTH], to_attr="latest_values")
        )
    )
    for kpi in kpis:
        kpi.recent_values = list(reversed(kpi.latest_values))
        for value in kpi.recent_values:
            value.kpi = kpi  # meets_target reads the KPI: no query per value
    return kpis


def members_of(organization: Organization) -> QuerySet:
    """Users who are members of the organisation: the only owners one may pick."""
    return User.objects.filter(memberships__organization=organization).order_by("email")


def is_real_member(user, organization: Organization) -> bool:
    """A membership row, not only a read grant: owners must belong to the organisation."""
    return members_of(organization).filter(pk=user.pk).exists()


def members_of_user_organizations(user) -> QuerySet:
    """Users sharing an organisation with ``user`` (API choices; narrowed per organisation)."""
    return User.objects.filter(
        memberships__organization__in=permissions.organizations_for(user)
    ).distinct()


def process_instances_of_user(user) -> QuerySet:
    """Process instances of the user's organisations (API choices; narrowed per organisation)."""
    return ProcessInstance.objects.filter(
        organization__in=permissions.organizations_for(user)
    ).select_related("clause", "organization")


def kpis_of_user(user) -> QuerySet:
    return Kpi.objects.filter(organization__in=permissions.organizations_for(user)).select_related(
        "process", "organization"
    )


def primary_clauses() -> QuerySet:
    return Clause.objects.filter(standard__code=PRIMARY).order_by("order")


def services(queryset: QuerySet) -> QuerySet:
    """Services of an (already scoped) queryset with what a list or export shows."""
    return (
        queryset.select_related("owner")
        .prefetch_related(
            "sla_targets",
            Prefetch(
                "processes",
                queryset=ProcessInstance.objects.select_related("clause").order_by("clause__order"),
            ),
            Prefetch("clauses", queryset=Clause.objects.order_by("order")),
        )
        .order_by("name")
    )


def service_catalogue(queryset: QuerySet) -> QuerySet:
    """Only the catalogue services: what customers see."""
    return services(queryset.filter(status=Service.Status.CATALOGUE))


# --- the readiness dashboard -------------------------------------------------------


@dataclass
class HeatmapCell:
    clause: Clause
    instance: ProcessInstance | None
    status: str
    status_label: str
    maturity: int


@dataclass
class HeatmapChapter:
    number: str
    title: str
    cells: list[HeatmapCell] = field(default_factory=list)

    @property
    def average_maturity(self) -> float:
        if not self.cells:
            return 0.0
        return sum(c.maturity for c in self.cells) / len(self.cells)


def maturity_heatmap(organization: Organization) -> list[HeatmapChapter]:
    """The clause-8 processes grouped by chapter (8.1 … 8.7) with status and maturity.

    One query whatever the data. A process the organisation has not opened yet
    counts as not started, maturity 0, with ``instance`` None (nothing is created:
    a pure read). ``instance`` carries only pk, status and maturity.
    """
    mine = ProcessInstance.objects.filter(organization=organization, clause=OuterRef("pk"))
    clauses = catalogue_clauses().annotate(
        instance_pk=Subquery(mine.values("pk")[:1]),
        instance_status=Subquery(mine.values("status")[:1]),
        instance_maturity=Subquery(mine.values("maturity")[:1]),
    )
    chapters: dict[str, HeatmapChapter] = {}
    for clause in clauses:
        number = chapter_of(clause.number)
        if number not in chapters:
            heading = clause if clause.number == number else clause.parent
            chapters[number] = HeatmapChapter(number, heading.title)
        instance = None
        if clause.instance_pk is not None:
            instance = ProcessInstance(
                pk=clause.instance_pk,
                organization=organization,
                clause=clause,
                status=clause.instance_status,
                maturity=clause.instance_maturity,
            )
        status = instance.status if instance else ProcessStatus.NOT_STARTED
        chapters[number].cells.append(
            HeatmapCell(
                clause=clause,
                instance=instance,
                status=status,
                status_label=ProcessStatus(status).label,
                maturity=instance.maturity if instance else 0,
            )
        )
    return sorted(chapters.values(), key=lambda c: CHAPTERS.index(c.number))


def processes_owned_by(user, organization: Organization) -> QuerySet:
    return (
        ProcessInstance.objects.filter(organization=organization, owner=user)
        .select_related("clause")
        .order_by("clause__order")
    )
