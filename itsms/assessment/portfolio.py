"""The consultant's portfolio: every organisation of the user with its readiness, its most
urgent overdue clause and its next certification deadline, most urgent first.

Everything per organisation is computed in SQL, in a constant number of queries for any
number of organisations: one query annotates each organisation with the user's role, its
member count, its readiness sum and its most urgent overdue clause (a correlated subquery per
value, each an index range on the organisation); one reads the winning clauses' titles; the
next deadlines come from the certification app through ``hooks.next_deadlines`` (four).
Sorting a few hundred precomputed keys is left to Python; only one page of rows is rendered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from itsms.models import ClauseAssessment, Membership, Role, Status
from itsms.shared import hooks, permissions

from . import selectors as gap

#: Rows shown on one page of the portfolio.
PAGE_SIZE = 50
#: Readiness weights in quarters (``readiness.WEIGHTS`` × 4), so the sum stays an integer.
QUARTERS = {Status.NOT_STARTED: 0, Status.PLANNED: 1, Status.PARTIAL: 2, Status.IMPLEMENTED: 4}


@dataclass
class PortfolioRow:
    organization: object
    role: str
    member_count: int
    percent: int | None
    overdue: ClauseAssessment | None
    deadline: object | None  # hooks.next_deadlines: kind, due, title, url
    today: date

    @property
    def role_label(self):
        return Role(self.role).label if self.role in Role.values else ""

    @property
    def started(self) -> bool:
        return self.percent is not None

    @property
    def deadline_overdue(self) -> bool:
        return bool(self.deadline and self.deadline.due < self.today)

    @property
    def urgency(self) -> date | None:
        """The earliest of the overdue clause's target date and the next deadline."""
        dates = [d for d in (self.overdue and self.overdue.target_date,) if d]
        if self.deadline:
            dates.append(self.deadline.due)
        return min(dates) if dates else None


def _local_today_expr(organizations):
    """Each organisation's local date, in SQL (at any instant, zones live on ≤ 3 dates)."""
    now = timezone.now()
    by_date = defaultdict(list)
    for zone in organizations.order_by().values_list("time_zone", flat=True).distinct():
        by_date[timezone.localtime(now, ZoneInfo(zone)).date()].append(zone)
    whens = [When(time_zone__in=zones, then=Value(day)) for day, zones in by_date.items()]
    return Case(*whens, default=Value(now.date()), output_field=DateField())


def _per_org(queryset, value):
    return Subquery(
        queryset.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(v=value)
        .values("v")[:1],
        output_field=IntegerField(),
    )


def portfolio_rows(user, *, query: str = "") -> list[PortfolioRow]:
    """Every organisation the user may open (matching ``query``), most urgent first: something
    overdue or due soonest, then the least ready, then by name."""
    organizations = permissions.organizations_for(user)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    weight = Case(
        *(When(status=status, then=Value(q)) for status, q in QUARTERS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    overdue = (
        ClauseAssessment.objects.filter(
            organization=OuterRef("pk"),
            target_date__lt=OuterRef("local_today"),
        )
        .exclude(status=Status.IMPLEMENTED)
        .order_by("target_date", "clause__order")
        .values("pk")[:1]
    )
    role = Membership.objects.filter(organization=OuterRef("pk"), user=user).values("role")[:1]
    rows = list(
        organizations.annotate(
            local_today=_local_today_expr(organizations),
            my_role=Subquery(role),
            member_count=Coalesce(_per_org(Membership.objects.all(), Count("pk")), 0),
            assessed=_per_org(ClauseAssessment.objects.all(), Count("pk")),
            quarters=_per_org(ClauseAssessment.objects.all(), Sum(weight)),
            overdue_id=Subquery(overdue),
        ).order_by("name")
    )
    overdue_rows = {
        a.pk: a
        for a in ClauseAssessment.objects.filter(
            pk__in=[o.overdue_id for o in rows if o.overdue_id]
        ).select_related("clause")
    }
    today = timezone.localdate()
    deadlines = hooks.next_deadlines(organizations, today) if rows else {}
    leaves = len(gap.leaf_numbers()) or 1
    result = [
        PortfolioRow(
            organization=o,
            role=o.my_role or Role.AUDITOR,  # not a member: an assigned outside auditor
            member_count=o.member_count,
            percent=_percent(o.quarters or 0, leaves) if o.assessed else None,
            overdue=overdue_rows.get(o.overdue_id),
            deadline=deadlines.get(o.pk),
            today=o.local_today,
        )
        for o in rows
    ]
    result.sort(
        key=lambda r: (
            r.urgency is None,
            r.urgency or date.max,
            r.percent if r.percent is not None else 101,
            r.organization.name.lower(),
        )
    )
    return result


def _percent(quarters: int, leaves: int) -> int:
    """The readiness percentage, rounded as the dashboard rounds it (``readiness.percent``)."""
    value = Decimal(quarters) * 25 / leaves
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
