"""FilterSets shared by pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from itsms.models import (
    DocumentStatus,
    Evidence,
    EvidenceKind,
)
from itsms.shared.filters import FilterSet, IdFilter, OrderingFilter


class EvidenceFilterSet(FilterSet):
    """The evidence register's filters and sort, shared by the page, the CSV and the API."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    clause = django_filters.CharFilter(
        method="filter_clause",
        label=_("Clause"),
        help_text=_("e.g. 8.6.1; a heading includes its own"),
    )
    process = IdFilter(method="filter_link", label=_("Process"))
    service = IdFilter(method="filter_link", label=_("Service"))
    kind = django_filters.ChoiceFilter(choices=EvidenceKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("Status"))
    owner = django_filters.CharFilter(
        field_name="owner__email", lookup_expr="iexact", label=_("Owner")
    )
    expiry = django_filters.ChoiceFilter(
        method="filter_expiry",
        label=_("Review by"),
        choices=[
            ("expired", _("Expired or past its date")),
            ("30", _("Within 30 days")),
            ("90", _("Within 90 days")),
            ("none", _("No review date")),
        ],
    )
    sort = OrderingFilter(
        label=_("Sort"),
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("status", "status"),
            ("review_by", "review_by"),
            ("effective_date", "effective_date"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "title": _("Title"),
            "kind": _("Kind"),
            "status": _("Status"),
            "review_by": _("Review by"),
            "effective_date": _("Effective date"),
            "updated_at": _("Updated"),
        },
    )

    class Meta:
        model = Evidence
        fields = ["q", "clause", "process", "service", "kind", "status", "owner", "expiry"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_clause(self, queryset, name, value):
        from django.db.models import Q

        number = value.strip().rstrip(".")
        matching = Evidence.clauses.through.objects.filter(
            Q(clause__number=number) | Q(clause__number__startswith=number + ".")
        ).values("evidence_id")
        return queryset.filter(pk__in=matching)

    def filter_link(self, queryset, name, value):
        field = {"process": "processes", "service": "services"}[name]
        try:
            Evidence._meta.get_field(field)
        except Exception:  # the processes app is not installed
            return queryset.none()
        return queryset.filter(pk__in=Evidence.objects.filter(**{field: value}).values("pk"))

    def filter_expiry(self, queryset, name, value):
        from datetime import timedelta

        from django.db.models import Q
        from django.utils import timezone

        today = timezone.now().date()
        if value == "expired":
            return queryset.filter(
                Q(status=DocumentStatus.EXPIRED)
                | Q(status=DocumentStatus.APPROVED, review_by__lt=today)
            )
        if value == "none":
            return queryset.filter(review_by__isnull=True)
        days = int(value)
        return queryset.filter(review_by__gte=today, review_by__lte=today + timedelta(days=days))
