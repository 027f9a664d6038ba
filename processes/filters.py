"""FilterSets shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from itsms.shared.filters import FilterSet

from .catalogue import CHAPTERS
from .models import Kpi, KpiValue, ProcessInstance, ProcessStatus, Service


class ProcessInstanceFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProcessStatus.choices)
    chapter = django_filters.ChoiceFilter(
        label=_("Chapter"),
        choices=[(c, c) for c in CHAPTERS],
        method="filter_chapter",
    )
    owner = django_filters.NumberFilter(label=_("Owner (user id)"), field_name="owner_id")
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine")

    class Meta:
        model = ProcessInstance
        fields = ["status", "chapter", "owner", "mine"]

    def filter_chapter(self, queryset, name, value):
        if value == "8.1":
            return queryset.filter(clause__number="8.1")
        return queryset.filter(clause__number__startswith=f"{value}.")

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(owner=user)


class KpiFilterSet(FilterSet):
    process = django_filters.NumberFilter(label=_("Process (id)"), field_name="process_id")
    clause = django_filters.CharFilter(
        label=_("Process clause number, e.g. 8.6.1"), field_name="process__clause__number"
    )

    class Meta:
        model = Kpi
        fields = ["process", "clause", "period", "direction"]


class KpiValueFilterSet(FilterSet):
    kpi = django_filters.NumberFilter(label=_("KPI (id)"), field_name="kpi_id")
    since = django_filters.DateFilter(
        label=_("Periods starting on or after"), field_name="period_start", lookup_expr="gte"
    )
    until = django_filters.DateFilter(
        label=_("Periods starting on or before"), field_name="period_start", lookup_expr="lte"
    )

    class Meta:
        model = KpiValue
        fields = ["kpi", "since", "until"]


class ServiceFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Service.Status.choices)
    owner = django_filters.NumberFilter(label=_("Owner (user id)"), field_name="owner_id")
    q = django_filters.CharFilter(
        label=_("Name contains"), field_name="name", lookup_expr="icontains"
    )

    class Meta:
        model = Service
        fields = ["status", "owner", "q"]
