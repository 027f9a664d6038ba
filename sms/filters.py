"""FilterSets shared by the pages and the API lists of the SMS records.

``RecordFilterSet`` holds what every register filters by (text, status, owner, mine, review
due, linked clause, process and service); each register adds its own fields and sort keys.
The page passes its organisation (``organization=``) so that "review overdue" is judged in
the organisation's time zone; the API list names it in ``?organization=``.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itsms.models import User
from itsms.shared import permissions
from itsms.shared.filters import FilterSet, IdFilter, OrderingFilter

from .models import (
    Agreement,
    AgreementKind,
    Benefit,
    Improvement,
    ImprovementSource,
    Objective,
    Risk,
    RiskCategory,
    RiskKind,
    Supplier,
    SupplierKind,
    Treatment,
    TreatmentAction,
)
from .models.risks import ActionStatus
from .models.settings import MAX_LEVELS
from .selectors.summary import DUE_SOON_DAYS


class ReviewChoice:
    OVERDUE = "overdue"
    SOON = "soon"
    NONE = "none"
    CHOICES = [
        ("overdue", _("Review overdue")),
        ("soon", _("Review due within 30 days")),
        ("none", _("No review date")),
    ]


def _owners(request):
    """Owner choices: the members of the user's organisations (a page narrows them to its own)."""
    if request is None or not request.user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        memberships__organization__in=permissions.organizations_for(request.user)
    ).distinct()


class OwnerField(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class OwnerFilter(django_filters.ModelChoiceFilter):
    field_class = OwnerField


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within ``min_value``–``max_value`` (a score, not a column)."""

    field_class = forms.IntegerField


class RecordFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Text contains"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=[])
    owner = OwnerFilter(label=_("Owner"), queryset=_owners, field_name="owner")
    mine = django_filters.BooleanFilter(label=_("Owned by me"), method="filter_mine")
    review = django_filters.ChoiceFilter(
        label=_("Review"), choices=ReviewChoice.CHOICES, method="filter_review"
    )
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open")
    clause = django_filters.CharFilter(label=_("Clause number, e.g. 8.3.4"), method="filter_clause")
    process = IdFilter(label=_("Process (id)"), field_name="processes__id")
    service = IdFilter(label=_("Service (id)"), field_name="services__id")

    #: text fields searched by ``q``
    text_fields: tuple[str, ...] = ("title", "description")

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.filters["status"].extra["choices"] = self._meta.model._meta.get_field("status").choices
        if organization is not None:
            from .selectors.records import members_of

            self.filters["owner"].queryset = members_of(organization)

    @property
    def qs(self):
        # A link filter joins a many-to-many table: one row per record, whatever matched.
        return super().qs.distinct() if self._joins() else super().qs

    def _joins(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return bool(data.get("process") or data.get("service") or data.get("clause"))

    def today(self):
        organization = self.organization
        if organization is None and self.request is not None:
            slug = self.request.GET.get("organization")
            organization = (
                permissions.organizations_for(self.request.user).filter(slug=slug).first()
                if slug
                else None
            )
            self.organization = organization
        return organization.local_today() if organization else timezone.localdate()

    def filter_text(self, queryset, name, value):
        query = Q()
        for field in self.text_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(owner=user)

    def filter_review(self, queryset, name, value):
        model = queryset.model
        if value == ReviewChoice.NONE:
            return queryset.filter(review_by__isnull=True)
        today = self.today()
        open_rows = queryset.filter(model.open_q())
        if value == ReviewChoice.OVERDUE:
            return open_rows.filter(review_by__lt=today)
        if value == ReviewChoice.SOON:
            return open_rows.filter(
                review_by__gte=today, review_by__lte=today + timedelta(days=DUE_SOON_DAYS)
            )
        return queryset

    def filter_open(self, queryset, name, value):
        return queryset.filter(queryset.model.open_q()) if value else queryset

    def filter_clause(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(clauses__number=value) | Q(clauses__number__startswith=f"{value}.")
        )


BASE_FIELDS = ["q", "status", "owner", "mine", "review", "open", "clause", "process", "service"]


class RiskFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Risk or opportunity"), choices=RiskKind.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=RiskCategory.choices)
    treatment = django_filters.ChoiceFilter(
        label=_("Treatment"),
        choices=[*Treatment.choices, ("none", _("Not decided"))],
        method="filter_treatment",
    )
    likelihood = django_filters.NumberFilter(label=_("Likelihood"))
    impact = django_filters.NumberFilter(label=_("Impact"))
    residual_likelihood = django_filters.NumberFilter(
        label=_("Residual likelihood"), method="filter_residual_likelihood"
    )
    residual_impact = django_filters.NumberFilter(
        label=_("Residual impact"), method="filter_residual_impact"
    )
    score_min = WholeNumberFilter(
        label=_("Current score at least"),
        field_name="score",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_LEVELS * MAX_LEVELS,
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("score", "score"),
            ("inherent", "inherent"),
            ("number", "number"),
            ("review_by", "review_by"),
            ("title", "title"),
        ),
        field_labels={
            "score": _("Current score"),
            "inherent": _("Score before treatment"),
            "number": _("Number"),
            "review_by": _("Review by"),
            "title": _("Title"),
        },
    )

    text_fields = ("title", "description", "cause", "consequence", "treatment_notes")

    class Meta:
        model = Risk
        fields = [*BASE_FIELDS, "kind", "category", "treatment", "likelihood", "impact"]

    def filter_treatment(self, queryset, name, value):
        return queryset.filter(treatment="" if value == "none" else value)

    # The heat map's residual cells count risks not yet reassessed where they were scored.
    def filter_residual_likelihood(self, queryset, name, value):
        return queryset.filter(
            Q(residual_likelihood=value) | Q(residual_likelihood__isnull=True, likelihood=value)
        )

    def filter_residual_impact(self, queryset, name, value):
        return queryset.filter(
            Q(residual_impact=value) | Q(residual_impact__isnull=True, impact=value)
        )


class TreatmentActionFilterSet(FilterSet):
    risk = IdFilter(label=_("Risk (id)"), field_name="risk_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    owner = IdFilter(label=_("Owner (user id)"), field_name="owner_id")

    class Meta:
        model = TreatmentAction
        fields = ["risk", "status", "owner"]


class ObjectiveFilterSet(RecordFilterSet):
    kpi = IdFilter(label=_("KPI (id)"), field_name="kpi_id")
    measured_by_kpi = django_filters.BooleanFilter(
        label=_("Measured by a KPI"), field_name="kpi", lookup_expr="isnull", exclude=True
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_date", lookup_expr="lte"
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("due_date", "due_date"), ("number", "number"), ("title", "title")),
        field_labels={"due_date": _("Due date"), "number": _("Number"), "title": _("Title")},
    )

    text_fields = ("title", "description", "measure", "plan_what")

    class Meta:
        model = Objective
        fields = [*BASE_FIELDS, "kpi", "measured_by_kpi", "due_before"]


class SupplierFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SupplierKind.choices)
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("title", "title"), ("number", "number"), ("review_by", "review_by")),
        field_labels={"title": _("Name"), "number": _("Number"), "review_by": _("Review by")},
    )

    text_fields = ("title", "description", "contact")

    class Meta:
        model = Supplier
        fields = [*BASE_FIELDS, "kind"]


class AgreementFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices)
    supplier = IdFilter(label=_("Supplier (id)"), field_name="supplier_id")
    ends_before = django_filters.DateFilter(
        label=_("Ends on or before"), field_name="ends_on", lookup_expr="lte"
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("title", "title"),
            ("number", "number"),
            ("review_by", "review_by"),
            ("ends_on", "ends_on"),
        ),
        field_labels={
            "title": _("Title"),
            "number": _("Number"),
            "review_by": _("Review by"),
            "ends_on": _("Ends on"),
        },
    )

    text_fields = ("title", "description", "customer", "agreement_number", "targets")

    class Meta:
        model = Agreement
        fields = [*BASE_FIELDS, "kind", "supplier", "ends_before"]


class ImprovementFilterSet(RecordFilterSet):
    source = django_filters.ChoiceFilter(label=_("Source"), choices=ImprovementSource.choices)
    benefit = django_filters.ChoiceFilter(label=_("Benefit"), choices=Benefit.choices)
    target_before = django_filters.DateFilter(
        label=_("Target on or before"), field_name="target_date", lookup_expr="lte"
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("target_date", "target_date"), ("number", "number"), ("raised_on", "raised_on")),
        field_labels={
            "target_date": _("Target date"),
            "number": _("Number"),
            "raised_on": _("Raised on"),
        },
    )

    text_fields = ("title", "description", "source_reference", "evaluation", "decision")

    class Meta:
        model = Improvement
        fields = [*BASE_FIELDS, "source", "benefit", "target_before"]
