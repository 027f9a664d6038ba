"""FilterSets shared by pages and the API."""

import django_filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    Clause,
    ClauseAssessment,
    DocumentStatus,
    Evidence,
    EvidenceKind,
    Invitation,
    Membership,
    Role,
    Status,
)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort, its descending choices translated when shown.

    django-filter formats "Title (descending)" once, at import, in English; here each label
    stays lazy, so the sort menu follows the reader's language.
    """

    descending_fmt = _("{} (descending)")

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", format_lazy(self.descending_fmt, label)) for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


class ClauseFilterSet(django_filters.FilterSet):
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


class MembershipFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    email = django_filters.CharFilter(
        field_name="user__email", lookup_expr="icontains", label=_("Email contains")
    )

    class Meta:
        model = Membership
        fields = ["role", "email"]


class InvitationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[
            ("pending", _("pending")),
            ("accepted", _("accepted")),
            ("revoked", _("revoked")),
            ("expired", _("expired")),
        ],
        method="filter_status",
        label=_("Status"),
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


class EvidenceFilterSet(django_filters.FilterSet):
    """The evidence register's filters and sort, shared by the page, the CSV and the API."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    clause = django_filters.CharFilter(
        method="filter_clause",
        label=_("Clause"),
        help_text=_("e.g. 8.6.1; a heading includes its own"),
    )
    process = django_filters.NumberFilter(method="filter_link", label=_("Process"))
    service = django_filters.NumberFilter(method="filter_link", label=_("Service"))
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
