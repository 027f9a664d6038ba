"""Audits, findings and corrective actions as searchable kinds (``AuditsConfig.ready``).

Who finds which row is the audits policy's (``audits.permissions``: members find every audit
of their organisation; an auditor who is not a member only the audits assigned, while
assigned, and their findings and corrective actions), applied by the search selector through
``restrict(user, "view")``, as on the audit pages.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itsms.search import reference
from itsms.search.registry import Document, SearchKind, register

from .models import (
    ActionState,
    Audit,
    AuditKind,
    AuditStatus,
    CorrectiveAction,
    Finding,
    Grade,
)

TITLE_CHARS = 160


def _text(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _short(text: str) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def _of(model, organization_id, ids):
    rows = model.objects.filter(organization_id=organization_id)
    return rows if ids is None else rows.filter(pk__in=ids)


def audit_documents(organization_id: int, ids):
    rows = _of(Audit, organization_id, ids).select_related("certification_body")
    return [
        Document(
            organization_id=organization_id,
            object_id=audit.pk,
            reference=audit.reference,
            title=audit.title,
            body=_text(
                reference.in_all_languages(
                    AuditKind(audit.kind).label, AuditStatus(audit.status).label
                ),
                audit.certification_body.name if audit.certification_body else "",
                audit.scope_statement,
                audit.scope_sites,
                audit.objectives,
            ),
        )
        for audit in rows
    ]


def _clause_text(headings, clause) -> str:
    heading = headings.get(clause.number) if clause else None
    return heading.bilingual if heading else (clause.number if clause else "")


def finding_documents(organization_id: int, ids):
    rows = list(_of(Finding, organization_id, ids).select_related("clause", "audit"))
    headings = reference.headings() if rows else {}
    return [
        Document(
            organization_id=organization_id,
            object_id=finding.pk,
            parent_id=finding.audit_id,
            reference=finding.reference,
            title=_short(finding.statement) or finding.reference,
            body=_text(
                finding.statement,
                finding.requirement,
                finding.objective_evidence,
                reference.in_all_languages(Grade(finding.grade).label),
                _clause_text(headings, finding.clause),
                finding.audit.title,
            ),
        )
        for finding in rows
    ]


def action_documents(organization_id: int, ids):
    rows = list(
        _of(CorrectiveAction, organization_id, ids).select_related("finding", "finding__clause")
    )
    headings = reference.headings() if rows else {}
    return [
        Document(
            organization_id=organization_id,
            object_id=action.pk,
            reference=action.finding.reference,
            title=_short(action.finding.statement) or action.finding.reference,
            body=_text(
                action.correction,
                action.root_cause,
                action.plan,
                action.auditor_comment,
                reference.in_all_languages(ActionState(action.state).label),
                _clause_text(headings, action.finding.clause),
            ),
        )
        for action in rows
    ]


def _action_of(finding, created):
    return [
        (finding.organization_id, pk)
        for pk in CorrectiveAction.objects.filter(finding_id=finding.pk).values_list(
            "pk", flat=True
        )
    ]


def register_kinds() -> None:
    register(
        SearchKind(
            key="audit",
            label=_("Audits"),
            model=Audit,
            documents=audit_documents,
            url=lambda hit: reverse(
                "audits:audit_detail",
                kwargs={"org_slug": hit.organization_slug, "pk": hit.object_id},
            ),
            watch={Audit: lambda a, created: [(a.organization_id, a.pk)]},
            order=40,
        )
    )
    register(
        SearchKind(
            key="finding",
            label=_("Findings"),
            model=Finding,
            documents=finding_documents,
            url=lambda hit: (
                reverse(
                    "audits:audit_detail",
                    kwargs={"org_slug": hit.organization_slug, "pk": hit.parent_id},
                )
                + f"?findings=all#finding-{hit.reference}"
            ),
            watch={Finding: lambda f, created: [(f.organization_id, f.pk)]},
            order=45,
        )
    )
    register(
        SearchKind(
            key="corrective_action",
            label=_("Corrective actions"),
            model=CorrectiveAction,
            documents=action_documents,
            url=lambda hit: reverse(
                "audits:action_detail",
                kwargs={"org_slug": hit.organization_slug, "pk": hit.object_id},
            ),
            watch={
                CorrectiveAction: lambda a, created: [(a.organization_id, a.pk)],
                Finding: _action_of,
            },
            order=48,
        )
    )
