"""Every dated obligation of an organisation, computed in one place from the rules.

Used by the reminder scan, the calendars and the iCal feed. Each function runs a constant
number of queries for any number of organisations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from audits.models import ActionState, Audit, AuditKind, AuditStatus, CorrectiveAction

from .models import Certificate, CertificateEdition, CertificateStatus


@dataclass(frozen=True)
class Deadline:
    organization_id: int
    org_slug: str
    subject_type: str  # certificate | action | evidence | audit
    subject_id: int
    kind: str  # surveillance-1 | surveillance-2 | recertification | transition | nc-response | …
    due: date
    title: str
    url: str
    owner_id: int | None = None


def _certificate_deadlines(organizations) -> list[Deadline]:
    certificates = list(
        Certificate.objects.filter(organization__in=organizations)
        .exclude(status__in=(CertificateStatus.WITHDRAWN, CertificateStatus.EXPIRED))
        .select_related("organization", "certification_body", "successor")
    )
    # Surveillance audits held (closing meeting recorded) per organisation, oldest first.
    held = defaultdict(list)
    for audit in Audit.objects.filter(
        organization__in=organizations,
        kind=AuditKind.SURVEILLANCE,
        closing_meeting_on__isnull=False,
    ).order_by("closing_meeting_on"):
        held[audit.organization_id].append(audit.closing_meeting_on)
    result = []
    for cert in certificates:
        org = cert.organization
        url = reverse(
            "certification:certificate_detail", kwargs={"org_slug": org.slug, "pk": cert.pk}
        )
        base = {
            "organization_id": org.pk,
            "org_slug": org.slug,
            "subject_type": "certificate",
            "subject_id": cert.pk,
            "url": url,
        }
        if cert.edition == CertificateEdition.E2011 and not cert.transition_passed:
            result.append(
                Deadline(
                    **base,
                    kind="transition",
                    due=cert.transition_cutoff,
                    title=_("%(org)s: 2011 certificate %(number)s — transition cutoff")
                    % {"org": org.name, "number": cert.number},
                )
            )
        done = [d for d in held[org.pk] if d >= cert.decision_date]
        for i, due in enumerate(cert.surveillance_due_dates(), start=1):
            if len(done) >= i:
                continue  # fulfilled by the i-th surveillance audit since the decision
            result.append(
                Deadline(
                    **base,
                    kind=f"surveillance-{i}",
                    due=due,
                    title=_("%(org)s: surveillance audit %(n)s due") % {"org": org.name, "n": i},
                )
            )
        if not hasattr(cert, "successor"):  # not yet replaced by a recertification
            result.append(
                Deadline(
                    **base,
                    kind="recertification",
                    due=cert.recertification_due,
                    title=_("%(org)s: certificate %(number)s expires — recertification due")
                    % {"org": org.name, "number": cert.number},
                )
            )
    return result


def _action_deadlines(organizations) -> list[Deadline]:
    actions = CorrectiveAction.objects.filter(
        organization__in=organizations,
        state__in=(ActionState.DRAFT, ActionState.RETURNED),
        finding__audit__closing_meeting_on__isnull=False,
    ).select_related("organization", "finding__audit__certification_body", "finding__clause")
    result = []
    for action in actions:
        org = action.organization
        finding = action.finding
        result.append(
            Deadline(
                organization_id=org.pk,
                org_slug=org.slug,
                subject_type="action",
                subject_id=action.pk,
                kind="nc-response",
                due=finding.response_deadline,
                title=_("%(org)s: response to %(ref)s (%(grade)s, %(clause)s)")
                % {
                    "org": org.name,
                    "ref": finding.reference,
                    "grade": finding.get_grade_display(),
                    "clause": finding.clause.number if finding.clause else "—",
                },
                url=reverse("audits:action_detail", kwargs={"org_slug": org.slug, "pk": action.pk}),
                owner_id=action.owner_id,
            )
        )
    return result


def _evidence_deadlines(organizations) -> list[Deadline]:
    from itsms.models import Evidence

    rows = Evidence.objects.filter(
        organization__in=organizations, review_by__isnull=False, deleted_at__isnull=True
    ).select_related("organization")
    result = []
    for evidence in rows:
        org = evidence.organization
        try:
            url = reverse("itsms:evidence_detail", kwargs={"org_slug": org.slug, "pk": evidence.pk})
        except Exception:  # noqa: BLE001  (the page's name is the evidence module's)
            url = ""
        result.append(
            Deadline(
                organization_id=org.pk,
                org_slug=org.slug,
                subject_type="evidence",
                subject_id=evidence.pk,
                kind="evidence-review",
                due=evidence.review_by,
                title=_("%(org)s: review of “%(title)s” due")
                % {"org": org.name, "title": evidence.title},
                url=url,
                owner_id=evidence.owner_id,
            )
        )
    return result


def _audit_dates(organizations) -> list[Deadline]:
    audits = (
        Audit.objects.filter(organization__in=organizations)
        .exclude(status=AuditStatus.CLOSED)
        .select_related("organization")
    )
    return [
        Deadline(
            organization_id=a.organization_id,
            org_slug=a.organization.slug,
            subject_type="audit",
            subject_id=a.pk,
            kind="audit",
            due=a.planned_start,
            title=_("%(org)s: %(audit)s") % {"org": a.organization.name, "audit": a.title},
            url=reverse(
                "audits:audit_detail", kwargs={"org_slug": a.organization.slug, "pk": a.pk}
            ),
        )
        for a in audits
    ]


def deadlines_for(organizations, *, include_audits: bool = False) -> list[Deadline]:
    items = (
        _certificate_deadlines(organizations)
        + _action_deadlines(organizations)
        + _evidence_deadlines(organizations)
    )
    if include_audits:
        items += _audit_dates(organizations)
    return sorted(items, key=lambda d: (d.due, d.title))
