"""FilterSets shared by the pages and the API: one FilterSet serves the HTML and API lists."""

import django_filters
from django import forms
from django.db.models import DateField, DurationField, ExpressionWrapper, F, Func, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itsms.shared.filters import FilterSet

from . import rules
from .models import (
    ActionState,
    Audit,
    AuditKind,
    AuditStatus,
    CorrectiveAction,
    Finding,
    Grade,
)
from .models.finding import NONCONFORMITIES

#: The states in which the organisation still owes its plan.
AWAITING_RESPONSE = (ActionState.DRAFT, ActionState.RETURNED)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: an id or a year (``1.5`` is refused, not rounded)."""

    field_class = forms.IntegerField


class _OrganizationDayMixin:
    """Deadlines are calendar dates in the organisation's time zone.

    The page passes ``organization``; the API names it with ``?organization=<slug>``.
    """

    def __init__(self, *args, organization=None, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)

    def today(self):
        organization = self.organization
        if organization is None and self.request is not None:
            from itsms.models import Organization

            slug = self.request.GET.get("organization")
            if slug:
                organization = Organization.objects.filter(slug=slug).first()
        return organization.local_today() if organization else timezone.localdate()


class AuditFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AuditKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AuditStatus.choices)
    year = IntegerFilter(
        label=_("Year (planned start)"), field_name="planned_start", lookup_expr="year"
    )
    certification_body = IntegerFilter(
        label=_("Certification body (id)"), field_name="certification_body_id"
    )

    class Meta:
        model = Audit
        fields = ["kind", "status", "year", "certification_body"]


class FindingFilterSet(FilterSet):
    audit = IntegerFilter(label=_("Audit (id)"), field_name="audit_id")
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    clause = django_filters.CharFilter(
        label=_("Clause"),
        method="filter_clause",
        help_text=_("Clause number, e.g. 8.6; a heading includes the clauses under it"),
    )
    open = django_filters.BooleanFilter(
        label=_("Open nonconformities"),
        method="filter_open",
        help_text=_("Nonconformities whose corrective action is not verified yet"),
    )

    class Meta:
        model = Finding
        fields = ["audit", "grade", "clause", "open"]

    def filter_clause(self, queryset, name, value):
        number = value.strip().rstrip(".")
        if not number:
            return queryset
        return queryset.filter(
            Q(clause__number=number) | Q(clause__number__startswith=number + ".")
        )

    def filter_open(self, queryset, name, value):
        verified = CorrectiveAction.objects.filter(state=ActionState.VERIFIED).values("finding_id")
        still_open = Q(grade__in=NONCONFORMITIES) & ~Q(pk__in=verified)
        return queryset.filter(still_open) if value else queryset.exclude(still_open)


class DaysAsDuration(Func):
    """An integer number of days as a duration (an interval; microseconds on SQLite)."""

    template = "(%(expressions)s * INTERVAL '1 day')"
    output_field = DurationField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps durations on SQLite as integer microseconds.
        return self.as_sql(
            compiler, connection, template="(%(expressions)s * 86400000000)", **extra_context
        )


def response_deadline_expression(path: str = "finding__audit"):
    """The response deadline as SQL: closing meeting + the certification body's window.

    An audit without a certification body gets the default window
    (``rules.default_response_window_days``); without a closing meeting it is NULL.
    """
    window = Coalesce(
        F(f"{path}__certification_body__response_window_days"),
        Value(rules.default_response_window_days()),
    )
    return ExpressionWrapper(
        F(f"{path}__closing_meeting_on") + DaysAsDuration(window),
        output_field=DateField(),
    )


def overdue_q(today) -> Q:
    """``CorrectiveAction.is_overdue`` in SQL, on a queryset with the ``response_due`` alias:
    the deadline has passed and the plan is still owed, or was submitted after the deadline
    and is not accepted yet. A plan submitted in time is not overdue."""
    passed = Q(response_due__lt=today)
    owed = Q(state__in=AWAITING_RESPONSE)
    late = Q(state=ActionState.SUBMITTED, submitted_on__gt=F("response_due"))
    return passed & (owed | late)


class CorrectiveActionFilterSet(_OrganizationDayMixin, FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ActionState.choices)
    audit = IntegerFilter(label=_("Audit (id)"), field_name="finding__audit_id")
    grade = django_filters.ChoiceFilter(
        label=_("Grade"),
        field_name="finding__grade",
        choices=[(grade.value, grade.label) for grade in NONCONFORMITIES],
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text=_(
            "Response deadline passed and no plan submitted in time (none yet, returned, "
            "or submitted late and not accepted)"
        ),
    )

    class Meta:
        model = CorrectiveAction
        fields = ["state", "audit", "grade", "overdue"]

    def filter_overdue(self, queryset, name, value):
        queryset = queryset.alias(response_due=response_deadline_expression())
        overdue = overdue_q(self.today())
        # A NULL deadline (no closing meeting) is never late; filter() with ~Q on a nullable
        # comparison would drop those rows, so the negation goes through the primary key.
        if value:
            return queryset.filter(overdue)
        return queryset.exclude(pk__in=queryset.filter(overdue).values("pk"))
