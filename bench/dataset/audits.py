"""Certification bodies, audits, findings and corrective actions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from audits.models import (
    ActionState,
    Audit,
    AuditKind,
    AuditStatus,
    CertificationBody,
    CorrectiveAction,
    Finding,
    Grade,
)

from .base import Context

OPEN_STATES = (
    [ActionState.DRAFT] * 4
    + [ActionState.RETURNED]
    + [ActionState.SUBMITTED] * 2
    + [ActionState.ACCEPTED] * 2
    + [ActionState.IMPLEMENTED]
)


def _bodies(ctx: Context, orgs) -> dict:
    bodies = [
        CertificationBody(
            organization=org,
            name="Huaxin Certification",
            accreditation="CNAS",
            contacts="audit@huaxin.example",
            response_window_days=42,
        )
        for org in orgs
    ]
    created = {b.organization_id: b for b in ctx.bulk(CertificationBody, bodies)}
    ctx.bodies.update(created)
    return created


def _audit(ctx, org, body, kind, start, *, closing=None, status=AuditStatus.PLANNED, **extra):
    external = kind != AuditKind.INTERNAL
    return Audit(
        organization=org,
        kind=kind,
        title=f"{AuditKind(kind).label} {start:%Y-%m}",
        certification_body=body if external else None,
        planned_start=start,
        planned_end=start + timedelta(days=2),
        actual_start=start if closing else None,
        actual_end=closing,
        closing_meeting_on=closing,
        status=status,
        objectives=ctx.sentence(12),
        scope_sites="Shanghai data centre; Shenzhen service desk",
        **extra,
    )


def _finding(ctx: Context, audit, number: int, grade: str, recorder) -> Finding:
    nonconformity = grade in (Grade.MAJOR, Grade.MINOR)
    return Finding(
        organization_id=audit.organization_id,
        audit=audit,
        number=number,
        grade=grade,
        clause=ctx.rng.choice(ctx.leaves) if nonconformity or ctx.rng.random() < 0.7 else None,
        statement=ctx.paragraph(2),
        requirement=ctx.sentence(10) if nonconformity else "",
        objective_evidence=ctx.paragraph(1),
        recorded_by=recorder,
    )


def _action(ctx: Context, finding: Finding, state: str, owner) -> CorrectiveAction:
    answered = state != ActionState.DRAFT
    closed = state in (ActionState.ACCEPTED, ActionState.IMPLEMENTED, ActionState.VERIFIED)
    closing = finding.audit.closing_meeting_on
    return CorrectiveAction(
        organization_id=finding.organization_id,
        finding=finding,
        correction=ctx.sentence(10) if answered else "",
        root_cause=ctx.paragraph(2) if answered else "",
        plan=ctx.paragraph(2) if answered else "",
        owner=owner,
        state=state,
        auditor_comment=ctx.sentence(8) if state == ActionState.RETURNED else "",
        submitted_at=timezone.now() if answered else None,
        accepted_on=closing + timedelta(days=30) if closed else None,
        implemented_on=closing + timedelta(days=60)
        if state in (ActionState.IMPLEMENTED, ActionState.VERIFIED)
        else None,
        verified_on=closing + timedelta(days=90) if state == ActionState.VERIFIED else None,
    )


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_big_audits(ctx: Context, org) -> None:
    """40 audits; one of them with 600 findings; 1,500 nonconformities with actions, 880 open."""
    scale = ctx.scale
    body = _bodies(ctx, [org])[org.pk]
    admin, auditor = ctx.people["admin"], ctx.people["auditor"]
    held = scale.audits - max(1, scale.audits // 10)  # the last tenth are planned, ahead
    kinds = [AuditKind.INTERNAL, AuditKind.SURVEILLANCE, AuditKind.INTERNAL, AuditKind.STAGE2]
    audits = [
        _audit(
            ctx,
            org,
            body,
            AuditKind.RECERTIFICATION,
            ctx.today - timedelta(days=28),
            closing=ctx.today - timedelta(days=25),
            status=AuditStatus.CLOSING_MEETING_HELD,
            audit_guide=admin,
        )
    ]
    for i in range(1, held):
        start = ctx.today - timedelta(days=40 + 45 * i)
        status = AuditStatus.CLOSED if i > 6 else AuditStatus.CLOSING_MEETING_HELD
        kind = kinds[i % len(kinds)]
        audits.append(
            _audit(ctx, org, body, kind, start, closing=start + timedelta(days=2), status=status)
        )
    for i in range(held, scale.audits):
        start = ctx.today + timedelta(days=20 + 30 * (i - held))
        audits.append(_audit(ctx, org, body, AuditKind.INTERNAL, start, audit_guide=admin))
    audits = ctx.bulk(Audit, audits)
    per_audit = [scale.big_audit_findings] + _split(
        scale.findings - scale.big_audit_findings, held - 1
    )
    nc_numbers = set(ctx.rng.sample(range(scale.findings), k=scale.actions))
    findings, index = [], 0
    for audit, count in zip(audits[:held], per_audit, strict=True):
        for number in range(1, count + 1):
            if index in nc_numbers:
                grade = Grade.MINOR if ctx.rng.random() < 0.85 else Grade.MAJOR
            else:
                grade = ctx.rng.choice((Grade.OBSERVATION, Grade.OFI))
            findings.append(_finding(ctx, audit, number, grade, auditor))
            index += 1
    findings = ctx.bulk(Finding, findings)
    ncs = [f for f in findings if f.grade in (Grade.MAJOR, Grade.MINOR)]
    # The most recent audits' actions are the open ones (findings are in audit order).
    actions = []
    for i, finding in enumerate(ncs):
        state = ctx.rng.choice(OPEN_STATES) if i < scale.open_actions else ActionState.VERIFIED
        actions.append(_action(ctx, finding, state, ctx.rng.choice(ctx.people["contributors"])))
    ctx.bulk(CorrectiveAction, actions)
    ctx.ids["big_audit_pk"] = audits[0].pk
    ctx.ids["big_audit_findings"] = per_audit[0]


def build_client_audits(ctx: Context, orgs: dict) -> None:
    """Each client: a held audit with a few nonconformities to answer, and one planned."""
    clients = orgs["clients"]
    bodies = _bodies(ctx, clients)
    audits = []
    for org in clients:
        start = ctx.days_ago(8, 80)
        audits.append(
            _audit(
                ctx,
                org,
                bodies[org.pk],
                AuditKind.STAGE2,
                start,
                closing=start + timedelta(days=2),
                status=AuditStatus.CLOSING_MEETING_HELD,
            )
        )
        audits.append(
            _audit(ctx, org, bodies[org.pk], AuditKind.SURVEILLANCE, ctx.days_ahead(10, 300))
        )
    audits = ctx.bulk(Audit, audits)
    findings = []
    for audit, count in zip(
        audits[::2], _split(ctx.scale.client_actions, len(clients)), strict=True
    ):
        findings += [
            _finding(ctx, audit, n, Grade.MINOR, ctx.people["external_auditor"])
            for n in range(1, count + 1)
        ]
    findings = ctx.bulk(Finding, findings)
    owners = orgs["client_owners"]
    states = (ActionState.DRAFT, ActionState.DRAFT, ActionState.RETURNED, ActionState.SUBMITTED)
    ctx.bulk(
        CorrectiveAction,
        [_action(ctx, f, ctx.rng.choice(states), owners[f.organization_id][1]) for f in findings],
    )


def build_tenant_audits(ctx: Context, tenants) -> None:
    """The scan's tenants: a surveillance audit each, with its open nonconformities."""
    bodies = _bodies(ctx, tenants)
    audits = []
    for org in tenants:
        start = ctx.days_ago(3, 45)
        audits.append(
            _audit(
                ctx,
                org,
                bodies[org.pk],
                AuditKind.SURVEILLANCE,
                start,
                closing=start + timedelta(days=2),
                status=AuditStatus.CLOSING_MEETING_HELD,
            )
        )
    audits = ctx.bulk(Audit, audits)
    count = ctx.scale.open_ncs_per_scan_org
    findings = ctx.bulk(
        Finding,
        [
            _finding(ctx, a, n, Grade.MINOR, ctx.people["external_auditor"])
            for a in audits
            for n in range(1, count + 1)
        ],
    )
    ctx.bulk(CorrectiveAction, [_action(ctx, f, ActionState.DRAFT, None) for f in findings])
