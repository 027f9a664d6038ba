"""Reads of the objectives: each with its current value (the KPI's latest, in SQL)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from processes.models import KpiValue

from ..models import Objective
from .records import record_list


def latest_kpi_value():
    return Subquery(
        KpiValue.objects.filter(kpi=OuterRef("kpi")).order_by("-period_start").values("value")[:1]
    )


def latest_kpi_period():
    return Subquery(
        KpiValue.objects.filter(kpi=OuterRef("kpi"))
        .order_by("-period_start")
        .values("period_start")[:1]
    )


def objective_list(queryset: QuerySet) -> QuerySet:
    """Objectives of a scoped queryset with owner, links, KPI and the KPI's latest value."""
    return (
        record_list(queryset)
        .select_related("kpi__process__clause")
        .annotate(kpi_latest=latest_kpi_value(), kpi_latest_period=latest_kpi_period())
        .order_by("due_date", "number")
    )


def with_measurement(objectives) -> list[Objective]:
    """Each objective with ``value`` (its current value) and ``met`` (True/False/None)."""
    rows = list(objectives)
    for objective in rows:
        objective.value = objective.measured_value(getattr(objective, "kpi_latest", None))
        objective.met = objective.is_met(objective.value)
        objective.value_display = objective.format_value(objective.value)
    return rows


def kpi_values(objective: Objective, limit: int = 12) -> list:
    """The latest values of the objective's KPI, oldest first (one query)."""
    if not objective.kpi_id:
        return []
    values = list(objective.kpi.values.order_by("-period_start")[:limit])
    for value in values:
        value.kpi = objective.kpi
    return list(reversed(values))
