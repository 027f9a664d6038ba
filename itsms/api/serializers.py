from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import permissions
from ..models import Clause, ClauseCorrelation, Invitation, Membership, Organization, Role, Standard
from ..models.tenancy import RESERVED_SLUGS, validate_time_zone


class StandardSerializer(serializers.ModelSerializer):
    clause_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Standard
        fields = ["code", "name", "year", "is_primary", "clause_count"]


def in_active_language(help_text):
    """A read-only text in the request's language (``Accept-Language``), English by default."""
    return serializers.CharField(read_only=True, help_text=help_text)


class ClauseRefSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = in_active_language(_("The heading in the request's language."))

    class Meta:
        model = Clause
        fields = ["id", "standard", "number", "title", "title_en", "title_zh_hans"]


class CorrelationSerializer(serializers.ModelSerializer):
    """A correlation as users read it; the reference's research notes are not part of it."""

    other = ClauseRefSerializer(read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    note = in_active_language(_("The project's note on the correlation."))

    class Meta:
        model = ClauseCorrelation
        fields = [
            "kind",
            "relation",
            "relation_label",
            "inferred",
            "note",
            "note_en",
            "note_zh_hans",
            "other",
        ]


class SuccessorSerializer(CorrelationSerializer):
    clause = ClauseRefSerializer(read_only=True)

    class Meta(CorrelationSerializer.Meta):
        fields = [*CorrelationSerializer.Meta.fields[:-1], "clause"]


class ClauseSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="number", read_only=True)
    correlations = CorrelationSerializer(many=True, read_only=True)
    correlated_from = SuccessorSerializer(many=True, read_only=True)
    title = in_active_language(_("The heading in the request's language."))
    guidance = in_active_language(_("The project's guidance in the request's language."))
    note = in_active_language(_("The project's note in the request's language."))

    class Meta:
        model = Clause
        fields = [
            "id",
            "standard",
            "number",
            "title",
            "title_en",
            "title_zh_hans",
            "parent",
            "order",
            "depth",
            "guidance",
            "guidance_en",
            "guidance_zh_hans",
            "is_process",
            "group",
            "new_in_edition",
            "note",
            "note_en",
            "note_zh_hans",
            "correlations",
            "correlated_from",
        ]


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


class InvitationSerializer(serializers.ModelSerializer):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # A user can only name organisations they belong to.
            self.fields["organization"].queryset = permissions.organizations_for(request.user)
