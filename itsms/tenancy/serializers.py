from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from itsms.models import (
    Invitation,
    Membership,
    Organization,
    Role,
)
from itsms.models.tenancy import RESERVED_SLUGS, validate_time_zone
from itsms.shared import permissions
from itsms.shared.choices import TenantSerializerMixin


class OrganizationSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()
    creator_role = serializers.ChoiceField(
        choices=[Role.CONSULTANT, Role.ADMIN],
        default=Role.CONSULTANT,
        write_only=True,
        help_text=_("Your role in the organisation you create."),
    )

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "time_zone",
            "language",
            "scope",
            "require_mfa",
            "created_at",
            "my_role",
            "creator_role",
        ]
        read_only_fields = ["created_at"]

    def get_my_role(self, obj) -> str | None:
        if hasattr(obj, "my_role"):  # annotated by OrganizationQuerySet.with_role_of
            return obj.my_role
        membership = permissions.membership_of(self.context["request"].user, obj)
        return membership.role if membership else None

    def validate_slug(self, value):
        value = value.lower()
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError(_("The slug cannot change."))
        if value in RESERVED_SLUGS:
            raise serializers.ValidationError(_("This slug is reserved; choose another."))
        return value

    def validate_time_zone(self, value):
        from django.core.exceptions import ValidationError

        try:
            validate_time_zone(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class MembershipSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "email", "full_name", "role", "created_at"]
        read_only_fields = ["created_at"]


class InvitationSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation to invite into."),
    )
    status = serializers.CharField(read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = ["created_at", "expires_at", "accepted_at", "revoked_at"]
