"""Services and selectors of the gap assessment (writes keyword-only, atomic, recorded)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import (
    Clause,
    ClauseAssessment,
    ClauseCorrelation,
    Organization,
    Status,
)
from itsms.shared import history
from itsms.standards.reference import PRIMARY
from itsms.standards.selectors import requirement_clauses

from . import readiness

CHANGE_PERM = "itsms.change_clauseassessment"


def leaf_clauses():
    """The 57 requirement clauses of ISO/IEC 20000-1:2018 (leaves of the tree)."""
    return requirement_clauses()


# --- reads ----------------------------------------------------------------------------------


def is_assessed(organization: Organization, clause: Clause) -> bool:
    return ClauseAssessment.objects.filter(organization=organization, clause=clause).exists()


def assessments_by_clause(organization: Organization) -> dict[int, ClauseAssessment]:
    return {
        a.clause_id: a
        for a in ClauseAssessment.objects.filter(organization=organization).select_related("owner")
    }


def readiness_of(organization: Organization) -> readiness.Readiness:
    statuses = dict(
        ClauseAssessment.objects.filter(organization=organization).values_list(
            "clause__number", "status"
        )
    )
    return readiness.compute(leaf_numbers(), statuses)


def evidenced_readiness_of(
    organization: Organization, statuses: dict[str, str] | None = None
) -> readiness.Readiness:
    """Evidenced readiness (implemented + approved, unexpired evidence), in two queries."""
    from itsms.evidence.selectors import evidenced_clause_numbers

    if statuses is None:
        statuses = dict(
            ClauseAssessment.objects.filter(organization=organization).values_list(
                "clause__number", "status"
            )
        )
    numbers = evidenced_clause_numbers(organization, organization.local_today())
    return readiness.evidenced(leaf_numbers(), statuses, numbers)


_LEAVES: list[str] | None = None


def leaf_numbers() -> list[str]:
    """Numbers of the requirement clauses (reference data: cached for the process)."""
    global _LEAVES
    if _LEAVES is None:
        _LEAVES = list(leaf_clauses().values_list("number", flat=True))
    return _LEAVES


def portfolio_readiness(organizations) -> dict[int, dict]:
    """Readiness and the most urgent overdue target of each organisation, in two queries."""
    weights = {k: float(v) for k, v in readiness.WEIGHTS.items()}
    leaves = len(leaf_numbers()) or 1
    totals: dict[int, float] = defaultdict(float)
    started: set[int] = set()
    rows = (
        ClauseAssessment.objects.filter(organization__in=organizations)
        .values("organization_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        started.add(row["organization_id"])
        totals[row["organization_id"]] += weights[row["status"]] * row["n"]
    overdue: dict[int, ClauseAssessment] = {}
    candidates = (
        ClauseAssessment.objects.filter(
            organization__in=organizations,
            target_date__isnull=False,
            target_date__lt=timezone.now().date() + timedelta(days=1),
        )
        .exclude(status=Status.IMPLEMENTED)
        .select_related("clause", "organization")
        .order_by("organization_id", "target_date", "clause__order")
    )
    for row in candidates:
        if row.organization_id in overdue:
            continue
        if row.is_overdue(row.organization.local_today()):
            overdue[row.organization_id] = row
    return {
        org.pk: {
            "started": org.pk in started,
            "percent": round(100 * totals[org.pk] / leaves) if org.pk in started else None,
            "overdue": overdue.get(org.pk),
        }
        for org in organizations
    }


def assessment_tree(organization: Organization, *, with_correlations: bool = True):
    """The 2018 tree with each leaf's assessment and each heading's roll-up (constant queries).

    ``with_correlations``: also each clause's 2011 predecessors and ISO/IEC 27001 links (the
    assessment page shows them; the dashboard and the report do not: two queries less)."""
    clauses = Clause.objects.filter(standard__code=PRIMARY)
    if with_correlations:
        clauses = clauses.prefetch_related(
            Prefetch(
                "correlations",
                queryset=ClauseCorrelation.objects.filter(
                    kind="harmonized", other__standard__code="iso27001-2013"
                ).select_related("other"),
                to_attr="iso27001_links",
            ),
        )
    clauses = list(clauses.order_by("order"))
    by_clause = assessments_by_clause(organization)
    children: dict[int | None, list[Clause]] = defaultdict(list)
    for clause in clauses:
        children[clause.parent_id].append(clause)
    statuses = {c.number: by_clause[c.pk].status for c in clauses if c.pk in by_clause}
    leaves = [c.number for c in clauses if not children.get(c.pk)]
    score = readiness.compute(leaves, statuses)
    nodes = []

    def walk(parent_id, depth):
        for clause in children.get(parent_id, []):
            kids = children.get(clause.pk, [])
            nodes.append(
                {
                    "clause": clause,
                    "depth": depth,
                    "is_heading": bool(kids),
                    "assessment": by_clause.get(clause.pk),
                    "percent": score.heading_percent(clause.number) if kids else None,
                }
            )
            walk(clause.pk, depth + 1)

    walk(None, 1)
    return nodes, score


def my_clauses(user, organization) -> list:
    """ "My work" provider: the requirement clauses the user owns."""
    from django.urls import reverse

    from itsms.shared.hooks import WorkItem

    today = organization.local_today()
    rows = (
        ClauseAssessment.objects.filter(organization=organization, owner=user)
        .select_related("clause")
        .order_by("clause__order")
    )
    return [
        WorkItem(
            kind=_("Clause"),
            reference=row.clause.number,
            title=row.clause.title,
            url=reverse(
                "itsms:assessment_row", kwargs={"org_slug": organization.slug, "pk": row.pk}
            ),
            status=row.get_status_display(),
            due=row.target_date,
            overdue=row.is_overdue(today),
        )
        for row in rows
    ]


@dataclass
class ClauseChanges:
    """What one person changed on one clause since a date: each field from what to what."""

    clause: Clause
    assessment_id: int
    user: object
    when: object  # the latest of these changes
    changes: list = field(default_factory=list)  # [history.FieldChange]


def changes_since(organization: Organization, since, limit: int = 500) -> list[ClauseChanges]:
    """ "Changed this week": per clause and person, the fields changed since ``since`` (the
    first value before → the last value after; a field changed and changed back is left out),
    newest first; in four queries whatever the history holds."""
    entries = history.entries_since(
        ClauseAssessment.history.filter(organization_id=organization.pk).select_related("clause"),
        since,
        limit=limit,
    )
    groups: dict[tuple, ClauseChanges] = {}
    fields_of: dict[tuple, dict[str, history.FieldChange]] = defaultdict(dict)
    for entry in reversed(entries):  # oldest first
        key = (entry.object_id, entry.record.history_user_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ClauseChanges(
                clause=entry.record.clause,
                assessment_id=entry.object_id,
                user=entry.user,
                when=entry.when,
            )
        group.when = entry.when
        for change in entry.changes:
            seen = fields_of[key].get(change.name)
            if seen is None:
                fields_of[key][change.name] = history.FieldChange(
                    change.name, change.label, change.old, change.new
                )
            else:
                seen.new = change.new
    result = []
    for key, group in groups.items():
        group.changes = [c for c in fields_of[key].values() if c.old != c.new]
        if group.changes:
            result.append(group)
    result.sort(key=lambda g: g.when, reverse=True)
    return result


def readiness_trend(organization: Organization, days: int = 90) -> list:
    from itsms.models import ReadinessSnapshot

    since = organization.local_today() - timedelta(days=days)
    return list(
        ReadinessSnapshot.objects.filter(organization=organization, day__gte=since).order_by("day")
    )
