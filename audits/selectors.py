"""Reads of the audits app, each in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q

from itsms.models import Clause
from itsms.standards.reference import PRIMARY

from . import rules
from .filters import overdue_q, response_deadline_expression
from .models import ActionState, Audit, AuditKind, CorrectiveAction, Finding, Grade
from .models.finding import NONCONFORMITIES

#: Pages show this many rows and a "show all" link; the full list is one click away.
FINDINGS_SHOWN = 25
ACTIONS_SHOWN = 25
PANEL_SHOWN = 10

#: The grades the outcome rules look at.
OUTCOME_GRADES = (Grade.MAJOR, Grade.MINOR, Grade.CONCERN)


def _findings(audit: Audit):
    return audit.findings.select_related("clause", "recorded_by", "corrective_action__owner")


def findings_of(audit: Audit):
    """Every finding of the audit, in number order, with what the report shows."""
    return list(_findings(audit).prefetch_related("evidence").order_by("number"))


def findings_shown(audit: Audit, *, show_all: bool = False):
    """The findings the audit page lists: the latest ``FINDINGS_SHOWN`` (in number order,
    so a finding just recorded is in view), or all of them; with the total."""
    total = audit.findings.count()
    if show_all or total <= FINDINGS_SHOWN:
        return findings_of(audit), total
    latest = list(
        _findings(audit).prefetch_related("evidence").order_by("-number")[:FINDINGS_SHOWN]
    )
    return latest[::-1], total


def _states(rows, audit_by_id) -> dict[int, list[rules.NcState]]:
    states: dict[int, list[rules.NcState]] = defaultdict(list)
    deadlines = {pk: audit.response_deadline for pk, audit in audit_by_id.items()}
    for row in rows:
        states[row["audit_id"]].append(
            rules.NcState(
                reference=row["reference"],
                grade=row["grade"],
                deadline=deadlines[row["audit_id"]] if row["grade"] in NONCONFORMITIES else None,
                plan_accepted_on=row["corrective_action__accepted_on"],
                verified_on=row["corrective_action__verified_on"],
                plan_submitted_on=row["corrective_action__submitted_on"],
            )
        )
    return states


_STATE_FIELDS = (
    "audit_id",
    "reference",
    "grade",
    "corrective_action__accepted_on",
    "corrective_action__verified_on",
    "corrective_action__submitted_on",
)


def outcomes_for(audits) -> dict[int, rules.Outcome]:
    """Each audit's conclusion (recommendation, readiness for stage 2, maintenance), in one
    query for all of them. The audits come with ``organization`` and ``certification_body``."""
    audits = list(audits)
    by_id = {audit.pk: audit for audit in audits}
    rows = (
        Finding.objects.filter(audit_id__in=by_id, grade__in=OUTCOME_GRADES)
        .order_by("audit_id", "number")
        .values(*_STATE_FIELDS)
    )
    states = _states(rows, by_id)
    result = {}
    for audit in audits:
        kind = audit.outcome_kind
        result[audit.pk] = rules.outcome(
            kind,
            states.get(audit.pk, []),
            closing_meeting_held=audit.closing_meeting_on is not None,
            today=audit.organization.local_today(),
            last_day=audit.last_day if audit.kind == AuditKind.STAGE2 else None,
        )
    return result


def outcome_for(audit: Audit) -> rules.Outcome:
    return outcomes_for([audit])[audit.pk]


def areas_of_concern(audit: Audit, outcome: rules.Outcome):
    """The findings a stage 1 outcome names as areas of concern (a few per audit)."""
    if not outcome.areas_of_concern:
        return []
    return list(
        audit.findings.filter(reference__in=outcome.areas_of_concern)
        .select_related("clause")
        .order_by("number")
    )


def active_assignments(audit: Audit):
    return list(audit.assignments.filter(ended_at__isnull=True).select_related("user"))


def programme(organization, today, years: int = 3):
    """Which clauses and processes each internal audit of the last ``years`` covered."""
    since = today - timedelta(days=365 * years)
    audits = list(
        Audit.objects.filter(
            organization=organization, kind=AuditKind.INTERNAL, planned_start__gte=since
        )
        .prefetch_related(
            Prefetch("scope_clauses", queryset=Clause.objects.only("id", "number")),
            "scope_processes__clause",
        )
        .order_by("planned_start")
    )
    clauses = list(
        Clause.objects.filter(standard__code=PRIMARY)
        .order_by("order")
        .only("id", "number", "title_en", "title_zh_hans", "depth", "parent_id")
    )
    covered: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        numbers = {c.number for c in audit.scope_clauses.all()}
        numbers |= {p.clause.number for p in audit.scope_processes.all()}
        for clause in clauses:
            # A heading in scope covers the clauses under it.
            if any(clause.number == n or clause.number.startswith(n + ".") for n in numbers):
                covered[clause.pk].append(audit)
    rows = [{"clause": clause, "audits": covered.get(clause.pk, [])} for clause in clauses]
    return audits, rows


def open_actions_for(organization):
    """Corrective actions not yet verified, with what their pages show."""
    return (
        CorrectiveAction.objects.filter(organization=organization)
        .exclude(state=ActionState.VERIFIED)
        .select_related("finding__audit__certification_body", "finding__clause", "owner")
        .order_by("finding__audit__closing_meeting_on", "finding__number")
    )


def open_nonconformities(organization, today, *, limit: int = PANEL_SHOWN):
    """The dashboard's panel: counts of open nonconformities by grade and overdue, and the
    ``limit`` most urgent (earliest response deadline first, majors first) — two queries."""
    qs = (
        CorrectiveAction.objects.filter(
            organization=organization,
            # the same organisation, said of the finding and the audit too: each join then
            # reads its organisation's index, not the whole table (bench --explain)
            finding__organization=organization,
            finding__audit__organization=organization,
            finding__grade__in=NONCONFORMITIES,
        )
        .exclude(state=ActionState.VERIFIED)
        .annotate(response_due=response_deadline_expression())
    )
    counts = qs.aggregate(
        majors=Count("pk", filter=Q(finding__grade=Grade.MAJOR)),
        minors=Count("pk", filter=Q(finding__grade=Grade.MINOR)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    rows = list(
        qs.select_related("finding__clause", "finding__audit__certification_body").order_by(
            F("response_due").asc(nulls_last=True), "finding__grade", "finding__reference"
        )[:limit]
    )
    for row in rows:
        row.overdue = row.is_overdue(today)
    return counts, rows


def audits_visible_to(user):
    """Audits of the user's organisations (members), or those the user is assigned to."""
    from django.db.models import Q

    from itsms.shared import permissions

    return Audit.objects.filter(
        Q(organization__in=permissions.member_organizations(user))
        | Q(assignments__user=user, assignments__ended_at__isnull=True)
    ).distinct()


def bodies_visible_to(user):
    from itsms.shared import permissions

    from .models import CertificationBody

    return CertificationBody.objects.filter(organization__in=permissions.member_organizations(user))
