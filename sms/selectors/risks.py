"""Reads of the risk register: the list with its scores, one risk's actions, the heat map."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from ..models import Risk, RiskKind, SmsSettings, TreatmentAction
from .records import record_list


def score_annotations() -> dict:
    """Inherent, residual and current score in SQL (filters and sorting use them)."""
    inherent = F("likelihood") * F("impact")
    residual = F("residual_likelihood") * F("residual_impact")
    return {
        "inherent": inherent,
        "residual": residual,
        "score": Coalesce(residual, inherent),
    }


def risk_list(queryset: QuerySet) -> QuerySet:
    """Risks of a scoped queryset with owner, links, scores and their open actions counted."""
    return (
        record_list(queryset)
        .annotate(
            **score_annotations(),
            open_actions=Count(
                "actions", filter=Q(actions__status__in=("planned", "in_progress")), distinct=True
            ),
        )
        .order_by("-score", "number")
    )


def risk_actions(risk: Risk) -> list[TreatmentAction]:
    return list(risk.actions.select_related("owner").order_by("due_date", "pk"))


def actions_of(queryset: QuerySet) -> QuerySet:
    """Treatment actions of a scoped queryset with their risk and owner."""
    return queryset.select_related("risk", "owner").order_by("due_date", "pk")


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    score: int
    level: str
    count: int


@dataclass
class HeatMap:
    """A likelihood × impact grid: rows from the highest likelihood down."""

    basis: str  # "inherent" | "residual"
    rows: list[tuple[int, list[HeatCell]]] = field(default_factory=list)
    impacts: list[int] = field(default_factory=list)
    total: int = 0


def heat_map(queryset: QuerySet, scale: SmsSettings, *, basis: str = "inherent") -> HeatMap:
    """Open risks (not opportunities) counted per cell of the scale (one query).

    ``basis`` "residual" counts each risk where it stands after treatment (risks not yet
    reassessed stay where they were scored before treatment).
    """
    risks = queryset.filter(Risk.open_q(), kind=RiskKind.RISK)
    if basis == "residual":
        counted = risks.annotate(
            cell_l=Coalesce("residual_likelihood", "likelihood"),
            cell_i=Coalesce("residual_impact", "impact"),
        )
    else:
        counted = risks.annotate(cell_l=F("likelihood"), cell_i=F("impact"))
    counts = {
        (row["cell_l"], row["cell_i"]): row["n"]
        for row in counted.order_by().values("cell_l", "cell_i").annotate(n=Count("pk"))
    }
    grid = HeatMap(basis=basis, impacts=list(scale.impact_range()))
    for likelihood in reversed(scale.likelihood_range()):
        cells = []
        for impact in scale.impact_range():
            score = likelihood * impact
            n = counts.get((likelihood, impact), 0)
            grid.total += n
            cells.append(HeatCell(likelihood, impact, score, scale.level_of(score), n))
        grid.rows.append((likelihood, cells))
    return grid


def treatment_summary(queryset: QuerySet, scale: SmsSettings) -> dict[str, int]:
    """How many open risks stand in each treatment state (one query)."""
    summary: dict[str, int] = {}
    rows = queryset.filter(Risk.open_q()).only(
        "kind", "likelihood", "impact", "treatment", "residual_likelihood", "residual_impact"
    )
    for risk in rows:
        state = risk.treatment_state(scale)
        summary[state] = summary.get(state, 0) + 1
    return summary


@dataclass(frozen=True)
class RisksState:
    """The answer for the stage-2 gate: risks assessed and treated?"""

    assessed: int
    needing_treatment: list[Risk]

    @property
    def complete(self) -> bool:
        return self.assessed > 0 and not self.needing_treatment


def risks_state(queryset: QuerySet, scale: SmsSettings) -> RisksState:
    """Open risks scored, and those whose treatment is still to decide or to reassess (one
    query): the gate wants at least one risk assessed and none left untreated."""
    from ..models import TreatmentState

    rows = list(queryset.filter(Risk.open_q()).order_by("number"))
    pending = [
        r
        for r in rows
        if r.treatment_state(scale) in (TreatmentState.UNTREATED, TreatmentState.PLANNED)
    ]
    return RisksState(assessed=len(rows), needing_treatment=pending)
