"""One row of every audits model in an organisation, for the isolation sweep."""

from datetime import UTC, date, datetime, timedelta

from audits.models import (
    ActionEvidence,
    Audit,
    AuditAssignment,
    AuditInvitation,
    AuditNote,
    AuditPack,
    CertificationBody,
    CorrectiveAction,
    Finding,
    FindingEvidence,
    PlanSession,
)
from itsms.models import Clause
from tests.factories import UserFactory


def _clause(number="8.6.1"):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def _body(org, marker):
    return CertificationBody.objects.get_or_create(
        organization=org, name=f"{marker} Certification", defaults={"contacts": marker}
    )[0]


def _audit(org, marker):
    audit = Audit.objects.filter(organization=org, title__startswith=marker).first()
    if audit is None:
        audit = Audit.objects.create(
            organization=org,
            kind="stage2",
            title=f"{marker} stage 2 audit",
            certification_body=_body(org, marker),
            planned_start=date(2026, 3, 2),
            planned_end=date(2026, 3, 4),
            objectives=f"{marker} objectives",
        )
    return audit


def _assignment(org, marker):
    user = UserFactory(email=f"{marker}-auditor@{org.slug}.example", full_name=f"{marker} Auditor")
    return AuditAssignment.objects.create(organization=org, audit=_audit(org, marker), user=user)


def _session(org, marker):
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    return PlanSession.objects.create(
        organization=org,
        audit=_audit(org, marker),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        clause=_clause(),
        topic=f"{marker} session",
        auditee=f"{marker} auditee",
    )


def _note(org, marker):
    return AuditNote.objects.create(
        organization=org,
        audit=_audit(org, marker),
        kind="sample",
        subject=f"{marker} sample",
        text=f"{marker} ten incidents sampled",
    )


def _finding(org, marker):
    finding = Finding.objects.filter(organization=org, statement__startswith=marker).first()
    if finding is None:
        audit = _audit(org, marker)
        finding = Finding.objects.create(
            organization=org,
            audit=audit,
            number=audit.findings.count() + 1,
            grade="minor",
            clause=_clause(),
            statement=f"{marker} two P1 incidents closed without confirmation",
            objective_evidence=f"{marker} incident report",
        )
    return finding


def _action(org, marker):
    action = CorrectiveAction.objects.filter(organization=org, plan__startswith=marker).first()
    if action is None:
        action = CorrectiveAction.objects.create(
            organization=org,
            finding=_finding(org, marker),
            root_cause=f"{marker} root cause",
            plan=f"{marker} plan",
        )
    return action


def _sampled_evidence():
    from itsms.models import Evidence
    from tests.harness.world import BUILDERS as CORE

    return CORE[Evidence]


def _finding_evidence(org, marker):
    evidence = _sampled_evidence()(org, marker)
    return FindingEvidence.objects.create(
        organization=org,
        finding=_finding(org, marker),
        evidence=evidence,
        sampled_version=evidence.current_version,
    )


def _action_evidence(org, marker):
    evidence = _sampled_evidence()(org, marker)
    return ActionEvidence.objects.create(
        organization=org,
        action=_action(org, marker),
        evidence=evidence,
        sampled_version=evidence.current_version,
    )


def _pack(org, marker):
    from tests.harness.world import stored_export

    return AuditPack.objects.create(
        organization=org, audit=_audit(org, marker), **stored_export(org, marker, "audit-packs")
    )


def _invitation(org, marker):
    from django.utils import timezone

    from itsms.models import Invitation

    _token, token_hash = Invitation.new_token()
    return AuditInvitation.objects.create(
        organization=org,
        audit=_audit(org, marker),
        email=f"{marker}-external@{org.slug}.example",
        role="auditor",
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=14),
    )


BUILDERS = {
    CertificationBody: _body,
    Audit: _audit,
    AuditAssignment: _assignment,
    PlanSession: _session,
    AuditNote: _note,
    Finding: _finding,
    CorrectiveAction: _action,
    FindingEvidence: _finding_evidence,
    ActionEvidence: _action_evidence,
    AuditInvitation: _invitation,
    AuditPack: _pack,
}
