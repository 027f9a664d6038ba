"""Many organisations with certificates of every kind of history, through bulk inserts.

Each organisation gets: a current certificate whose first surveillance falls due a week after
``today``; a certificate superseded by its recertification (and the successor); one expired
by status; a 2011-edition certificate from 2019 entered for the record; a closed audit with
an open minor nonconformity whose response is due in a week; and one whose response was due
two years ago.
"""

from datetime import timedelta

from audits.models import Audit, AuditKind, AuditStatus, CorrectiveAction, Finding
from certification import cycle, rules
from certification.models import Certificate
from itsms.models import Organization


def _certificate(org, number, decision, **extra):
    return Certificate(
        organization=org,
        number=number,
        scope="IT services",
        decision_date=decision,
        expires_on=rules.expires_on(decision),
        **extra,
    )


def grow(n, *, today, tag="s"):
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Client {tag}{i}", slug=f"client-{tag}-{i}", time_zone="UTC")
        for i in range(n)
    )
    due_soon = rules.add_months(today + timedelta(days=7), -12)
    old = today - timedelta(days=4 * 365)
    certs = []
    for org in orgs:
        certs += [
            _certificate(org, "CURRENT", due_soon),
            _certificate(org, "OLD", old),
            _certificate(org, "GONE", today - timedelta(days=400), status="expired"),
            _certificate(org, "LEGACY-2011", today.replace(year=2019), edition="2011"),
        ]
    Certificate.objects.bulk_create(certs)
    by_org = {c.organization_id: c for c in certs if c.number == "OLD"}
    Certificate.objects.bulk_create(
        _certificate(org, "RENEWED", old + timedelta(days=1000), previous=by_org[org.pk])
        for org in orgs
    )
    audits = Audit.objects.bulk_create(
        Audit(
            organization=org,
            kind=AuditKind.STAGE2,
            title=f"Audit {when}",
            planned_start=held,
            planned_end=held,
            closing_meeting_on=held,
            status=AuditStatus.CLOSING_MEETING_HELD,
        )
        for org in orgs
        for when, held in (
            ("now", today - timedelta(days=35)),
            ("past", today - timedelta(days=2 * 365)),
        )
    )
    findings = Finding.objects.bulk_create(
        Finding(organization_id=a.organization_id, audit=a, number=1, grade="minor", statement="s")
        for a in audits
    )
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(organization_id=f.organization_id, finding=f) for f in findings
    )
    cycle.refresh_cycles(Certificate.objects.filter(organization__in=orgs))
    return orgs
