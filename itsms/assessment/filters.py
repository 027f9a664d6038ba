"""FilterSets of the gap assessment, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from itsms.models import ClauseAssessment, Status
from itsms.shared.filters import FilterSet


class ClauseAssessmentFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    owner = django_filters.CharFilter(
        field_name="owner__email", lookup_expr="iexact", label=_("Owner's email")
    )
    chapter = django_filters.CharFilter(
        method="filter_chapter", label=_("Chapter or heading number, e.g. 8 or 8.6")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Target date passed, not implemented")
    )

    class Meta:
        model = ClauseAssessment
        fields = ["status", "owner", "chapter", "overdue", "maturity"]

    def filter_chapter(self, queryset, name, value):
        return queryset.filter(clause__number__startswith=value.rstrip(".") + ".")

    def filter_overdue(self, queryset, name, value):
        from django.db.models import Q
        from django.utils import timezone

        today = timezone.now().date()
        late = Q(target_date__lt=today) & ~Q(status=Status.IMPLEMENTED)
        return queryset.filter(late) if value else queryset.exclude(late)
