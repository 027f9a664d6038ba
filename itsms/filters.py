"""FilterSets shared by pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Clause, ClauseAssessment, Invitation, Membership, Role, Status


class ClauseFilterSet(django_filters.FilterSet):
    standard = django_filters.CharFilter(
        field_name="standard__code", label=_("Standard code, e.g. iso20000-1-2018")
    )
    parent = django_filters.CharFilter(
        method="filter_parent", label=_("Parent clause number; 'none' for top-level clauses")
    )
    number = django_filters.CharFilter(field_name="number")
    is_process = django_filters.BooleanFilter(field_name="is_process")

    class Meta:
        model = Clause
        fields = ["standard", "parent", "number", "is_process"]

    def filter_parent(self, queryset, name, value):
        if value.lower() == "none":
            return queryset.filter(parent__isnull=True)
        return queryset.filter(parent__number=value)


class MembershipFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    email = django_filters.CharFilter(field_name="user__email", lookup_expr="icontains")

    class Meta:
        model = Membership
        fields = ["role", "email"]


class InvitationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in ("pending", "accepted", "revoked", "expired")],
        method="filter_status",
    )

    class Meta:
        model = Invitation
        fields = ["status", "role"]

    def filter_status(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False, accepted_at__isnull=True)
        if value == "expired":
            return queryset.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
            )
        return queryset.pending()


class ClauseAssessmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    owner = django_filters.CharFilter(field_name="owner__email", lookup_expr="iexact")
    chapter = django_filters.CharFilter(
        method="filter_chapter", label=_("Chapter or heading number, e.g. 8 or 8.6")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue")

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
