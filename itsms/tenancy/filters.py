"""FilterSets of tenancy: members and invitations (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from itsms.models import Invitation, Membership, Role
from itsms.shared.filters import FilterSet


class MembershipFilterSet(FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    email = django_filters.CharFilter(
        field_name="user__email", lookup_expr="icontains", label=_("Email contains")
    )

    class Meta:
        model = Membership
        fields = ["role", "email"]


class InvitationFilterSet(FilterSet):
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
