"""Certification projects and certificates: the reminder scan's 80,000 certificates.

Half of each tenant's certificates come in pairs, a certificate and the recertification that
replaces it (so the certificate-successor join of the deadlines has work to do); the others
stand alone, decided at any time in the last three years. A tenth of the tenants still hold
an ISO/IEC 20000-1:2011 certificate that never passed the transition audit.
"""

from __future__ import annotations

from datetime import timedelta

from certification.models import (
    Certificate,
    CertificationProject,
    ChecklistItem,
    ChecklistTemplateItem,
    ProjectStep,
)

from .base import Context

THREE_YEARS = timedelta(days=3 * 365)


def build_project(ctx: Context, org) -> None:
    """The big organisation's certification project: six steps with the seed checklist."""
    project = ctx.bulk(
        CertificationProject,
        [
            CertificationProject(
                organization=org,
                certification_body=ctx.bodies.get(org.pk),
                target_stage1=ctx.days_ahead(30, 60),
                target_certificate=ctx.days_ahead(120, 180),
            )
        ],
    )[0]
    steps = ctx.bulk(
        ProjectStep,
        [
            ProjectStep(
                organization=org,
                project=project,
                number=n,
                owner=ctx.people["admin"],
                due_date=ctx.today + timedelta(days=30 * n),
            )
            for n in range(1, 7)
        ],
    )
    by_number = {s.number: s for s in steps}
    items = [
        ChecklistItem(
            organization=org,
            step=by_number[t.step],
            text=t.text,
            order=t.order,
            owner=ctx.rng.choice(ctx.people["contributors"]),
            due_date=ctx.days_ahead(-30, 200),
        )
        for t in ChecklistTemplateItem.objects.all()
    ]
    ctx.bulk(ChecklistItem, items)


def _certificate(ctx: Context, org, number: str, decided, previous=None, **extra) -> Certificate:
    cert = Certificate(
        organization=org,
        number=number,
        scope=f"IT services of site {number}",
        certification_body=ctx.bodies.get(org.pk),
        decision_date=decided,
        issue_date=decided + timedelta(days=7),
        previous=previous,
        **extra,
    )
    cert.expires_on = cert.compute_expiry()  # what save() does; bulk_create does not call it
    return cert


def _pairs_and_singles(ctx: Context, org, count: int, prefix: str):
    """(first generation, successors): ``count`` certificates of ``org``."""
    first = []
    pairs = max(1, count // 4) if count >= 2 else 0
    for i in range(pairs):
        decided = ctx.today - THREE_YEARS + timedelta(days=ctx.rng.randint(-150, 150))
        first.append(_certificate(ctx, org, f"{prefix}-{i:03d}-A", decided))
    for i in range(count - 2 * pairs):
        decided = ctx.days_ago(20, 3 * 365 - 30)
        edition = "2011" if i == 0 and ctx.rng.random() < 0.1 else "2018"
        first.append(_certificate(ctx, org, f"{prefix}-{i:03d}-S", decided, edition=edition))
    return first, pairs


def build_certificates(ctx: Context, orgs) -> None:
    """Certificates of every organisation in ``orgs``: a pair each (the big one and its
    clients) or ``certificates_per_scan_org`` each (the tenants)."""
    per_org = {org.pk: 2 for org in [orgs["big"], *orgs["clients"]]}
    per_org.update({org.pk: ctx.scale.certificates_per_scan_org for org in orgs["tenants"]})
    everyone = {o.pk: o for o in [orgs["big"], *orgs["clients"], *orgs["tenants"]]}
    first, plans = [], []
    for pk, count in per_org.items():
        rows, pairs = _pairs_and_singles(ctx, everyone[pk], count, f"CN{pk}")
        plans.append((len(first), pairs))
        first += rows
    first = ctx.bulk(Certificate, first)
    successors = []
    for start, pairs in plans:
        for old in first[start : start + pairs]:
            decided = min(
                ctx.today - timedelta(days=5),
                old.decision_date + THREE_YEARS - timedelta(days=ctx.rng.randint(30, 120)),
            )
            number = old.number[:-1] + "B"
            successors.append(_certificate(ctx, old.organization, number, decided, previous=old))
    ctx.bulk(Certificate, successors)
