"""FilterSets of the reference data."""

import django_filters
from django.utils.translation import gettext_lazy as _

from itsms.models import Clause
from itsms.shared.filters import FilterSet


class ClauseFilterSet(FilterSet):
    standard = django_filters.CharFilter(
        field_name="standard__code", label=_("Standard code, e.g. iso20000-1-2018")
    )
    parent = django_filters.CharFilter(
        method="filter_parent", label=_("Parent clause number; 'none' for top-level clauses")
    )
    number = django_filters.CharFilter(field_name="number", label=_("Clause number"))
    is_process = django_filters.BooleanFilter(
        field_name="is_process", label=_("One of the 13 processes of 2011")
    )

    class Meta:
        model = Clause
        fields = ["standard", "parent", "number", "is_process"]

    def filter_parent(self, queryset, name, value):
        if value.lower() == "none":
            return queryset.filter(parent__isnull=True)
        return queryset.filter(parent__number=value)
