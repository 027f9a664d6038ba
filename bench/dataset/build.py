"""Build the data set: every part in one transaction, then a validated sample."""

from __future__ import annotations

import time

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification import cycle
from certification.models import Certificate

from . import audits, certification, core, evidence, processes, search
from .base import Context
from .scale import Scale

#: Models whose sampled rows are validated (history shadow rows and M2M tables are not).
VALIDATED = (
    "itsms.Organization",
    "itsms.User",
    "itsms.Membership",
    "itsms.Invitation",
    "itsms.ClauseAssessment",
    "itsms.Evidence",
    "itsms.EvidenceVersion",
    "itsms.Notification",
    "itsms.ReadinessSnapshot",
    "processes.ProcessInstance",
    "processes.Kpi",
    "processes.KpiValue",
    "processes.Service",
    "processes.ServiceLevelTarget",
    "audits.CertificationBody",
    "audits.Audit",
    "audits.Finding",
    "audits.CorrectiveAction",
    "certification.CertificationProject",
    "certification.ProjectStep",
    "certification.ChecklistItem",
    "certification.Certificate",
)


def build(scale: Scale, media_root: str, log=print) -> dict:
    ctx = Context(scale=scale, media_root=media_root, today=timezone.localdate())
    started = time.perf_counter()
    with transaction.atomic():
        core.load_clauses(ctx)
        orgs = core.build_people(ctx)
        log(f"  organisations and people ({time.perf_counter() - started:.1f} s)")
        core.build_assessments(ctx, orgs)
        core.build_extras(ctx, orgs)
        big = orgs["big"]
        people = [ctx.people["admin"], *ctx.people["contributors"]]
        items = evidence.build_evidence(
            ctx, big, scale.evidence, scale.versions_per_evidence, people
        )
        for org in orgs["clients"]:
            evidence.build_evidence(ctx, org, 3, 1, orgs["client_owners"][org.pk])
        log(f"  assessments and evidence files ({time.perf_counter() - started:.1f} s)")
        processes.build_processes(ctx, big, items)
        audits.build_big_audits(ctx, big)
        audits.build_client_audits(ctx, orgs)
        audits.build_tenant_audits(ctx, orgs["tenants"])
        certification.build_project(ctx, big)
        certification.build_certificates(ctx, orgs)
        log(f"  processes, audits and certificates ({time.perf_counter() - started:.1f} s)")
        # bulk inserts skip save(): store every certificate's cycle as the product would, so
        # the reminder scan measured times scanning, not this catch-up
        cycle.refresh_cycles(Certificate.objects.all())
        log(f"  certificate cycles stored ({time.perf_counter() - started:.1f} s)")
        search.build_search_organization(ctx, scale.search_evidence)
        search.build_index(ctx)
        log(f"  the search index ({time.perf_counter() - started:.1f} s)")
    checked = validate_sample()
    log(f"  full_clean() passed on {checked} sampled rows ({time.perf_counter() - started:.1f} s)")
    return {
        "ids": ctx.ids,
        "counts": dict(sorted(ctx.counts.items())),
        "built_on": ctx.today.isoformat(),
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def validate_sample(per_model: int = 25) -> int:
    """``full_clean()`` on rows spread evenly over each model's table; raise on the first error."""
    checked = 0
    for label in VALIDATED:
        model = apps.get_model(label)
        total = model.objects.count()
        if not total:
            continue
        step = max(1, total // per_model)
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[::step][:per_model])
        for obj in model.objects.filter(pk__in=pks):
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise ValidationError(f"{label} #{obj.pk} is not valid: {exc}") from exc
            checked += 1
    return checked
