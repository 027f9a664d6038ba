"""The big organisation's clause-8 processes with KPIs and their values, and its services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from itsms.models import Clause
from processes.models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget

from .base import Context

SLA = {"P1": (15, 240), "P2": (30, 480), "P3": (120, 1440), "P4": (480, 4320)}


def _catalogue_clauses():
    """The catalogue as the model defines it: ``ProcessInstance.clause``'s ``limit_choices_to``."""
    field = ProcessInstance._meta.get_field("clause")
    return list(Clause.objects.filter(field.get_limit_choices_to()).order_by("order"))


def _month(today: date, back: int) -> date:
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def build_processes(ctx: Context, org, evidence: list) -> None:
    owners = ctx.people["contributors"]
    processes = ctx.bulk(
        ProcessInstance,
        [
            ProcessInstance(
                organization=org,
                clause=clause,
                owner=ctx.rng.choice(owners),
                status=ctx.rng.choice(("planned", "partial", "implemented")),
                maturity=ctx.rng.randint(1, 4),
                purpose=ctx.sentence(12),
                procedure_reference=f"PRC-{clause.number}-v{ctx.rng.randint(1, 4)}",
                last_review_date=ctx.days_ago(10, 500),
            )
            for clause in _catalogue_clauses()
        ],
    )
    kpis = ctx.bulk(
        Kpi,
        [
            Kpi(
                organization=org,
                process=process,
                name=f"KPI {n} of {process.clause.number}",
                description=ctx.sentence(10),
                target=Decimal(ctx.rng.choice(("95", "99.5", "4", "90"))),
                unit=ctx.rng.choice(("%", "h", "count")),
                period=Kpi.Period.MONTHLY,
                direction=ctx.rng.choice((Kpi.Direction.HIGHER, Kpi.Direction.LOWER)),
            )
            for process in processes
            for n in range(1, ctx.scale.kpis_per_process + 1)
        ],
    )
    ctx.bulk(
        KpiValue,
        [
            KpiValue(
                organization=org,
                kpi=kpi,
                period_start=_month(ctx.today, back),
                value=kpi.target * Decimal(ctx.rng.randint(85, 110)) / 100,
                note=ctx.sentence(5) if back % 6 == 0 else "",
            )
            for kpi in kpis
            for back in range(1, ctx.scale.kpi_months + 1)
        ],
    )
    through = ProcessInstance.evidence.through
    ctx.bulk(
        through,
        [
            through(processinstance_id=p.pk, evidence_id=e.pk)
            for p in processes
            for e in ctx.rng.sample(evidence, k=min(len(evidence), 5))
        ],
    )
    build_services(ctx, org, processes, evidence)


def build_services(ctx: Context, org, processes: list, evidence: list) -> None:
    statuses = ("catalogue",) * 6 + ("pipeline",) * 3 + ("retired",)
    services = ctx.bulk(
        Service,
        [
            Service(
                organization=org,
                name=f"Service {i:02d} {ctx.sentence(2)[:-1]}",
                description=ctx.paragraph(2),
                customers=ctx.sentence(5),
                owner=ctx.rng.choice(ctx.people["contributors"]),
                status=statuses[i % len(statuses)],
                availability_target=Decimal(ctx.rng.choice(("99.9", "99.5", "99.95"))),
            )
            for i in range(1, ctx.scale.services + 1)
        ],
    )
    targets = [
        ServiceLevelTarget(
            organization=org,
            service=service,
            priority=priority,
            response_minutes=response,
            resolution_minutes=resolution,
        )
        for service in services
        for priority, (response, resolution) in SLA.items()
    ]
    ctx.bulk(ServiceLevelTarget, targets)
    links = {
        Service.processes.through: ("processinstance_id", processes),
        Service.clauses.through: ("clause_id", ctx.leaves),
        Service.evidence.through: ("evidence_id", evidence),
    }
    for through, (column, pool) in links.items():
        rows = [
            through(service_id=service.pk, **{column: item.pk})
            for service in services
            for item in ctx.rng.sample(pool, k=min(len(pool), 3))
        ]
        ctx.bulk(through, rows)
