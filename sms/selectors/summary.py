"""The overview of the SMS records: each register's counts, in one query per register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from ..models import Agreement, Improvement, Objective, Risk, Supplier

#: A review-by date within this many days is "due soon".
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class RegisterCount:
    total: int
    open: int
    overdue: int
    due_soon: int


def register_counts(queryset, model, today: date) -> RegisterCount:
    """How many rows a register holds, how many are open and how many reviews are due."""
    open_q = model.open_q()
    row = queryset.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(review_by__lt=today)),
        due_soon=Count(
            "pk",
            filter=open_q
            & Q(review_by__gte=today, review_by__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
    )
    return RegisterCount(**row)


#: The registers on the overview, in the order of the standard.
OVERVIEW_MODELS = (Risk, Objective, Supplier, Agreement, Improvement)


def objectives_set(queryset) -> bool:
    """The gate's condition "objectives set": at least one objective planned or in progress,
    with a target (its own or its KPI's) and a due date."""
    return (
        queryset.filter(status__in=(Objective.Status.PLANNED, Objective.Status.IN_PROGRESS))
        .filter(due_date__isnull=False)
        .filter(Q(target__isnull=False) | Q(kpi__isnull=False))
        .exists()
    )
