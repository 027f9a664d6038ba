"""Reads of the audits app, each in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Prefetch

from itsms.models import Clause
from itsms.standards.reference import PRIMARY

from . import rules
from .models import ActionState, Audit, AuditKind, CorrectiveAction, Grade


def findings_of(audit: Audit):
    return list(
        audit.findings.select_related("clause", "recorded_by", "corrective_action__owner")
        .prefetch_related("evidence")
        .order_by("number")
    )


def recommendation_for(audit: Audit, findings=None) -> rules.Recommendation:
    findings = findings_of(audit) if findings is None else findings
    states = []
    for finding in findings:
        if finding.grade not in (Grade.MAJOR, Grade.MINOR):
            continue
        action = getattr(finding, "corrective_action", None)
        states.append(
            rules.NcState(
                reference=finding.reference,
                grade=finding.grade,
                deadline=finding.response_deadline,
                plan_accepted_on=action.accepted_on if action else None,
                verified_on=action.verified_on if action else None,
            )
        )
    return rules.recommendation(
        states,
        closing_meeting_held=audit.closing_meeting_on is not None,
        today=audit.organization.local_today(),
        stage2_last_day=audit.last_day if audit.kind == AuditKind.STAGE2 else None,
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
