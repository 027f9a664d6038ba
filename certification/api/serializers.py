from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsms.models import Organization, User
from itsms.shared.choices import TenantSerializerMixin

from .. import rules
from ..models import Certificate, CertificationProject, ChecklistItem, ProjectStep, Reminder


class CertificationProjectSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CertificationProject
        fields = ["id", "organization", "certification_body", "target_stage1", "target_certificate"]


class ProjectStepSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    owner = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = ProjectStep
        fields = ["id", "number", "title", "owner", "due_date", "notes"]
        read_only_fields = ["number"]


class ChecklistItemSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    done = serializers.BooleanField(required=False)
    label = serializers.CharField(
        read_only=True, help_text=_("The item in the reader's language (the seed's, translated).")
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "step",
            "key",
            "text",
            "label",
            "order",
            "owner",
            "due_date",
            "done",
            "done_at",
        ]
        read_only_fields = ["step", "key", "order", "owner", "done_at"]


class ValiditySerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    state = serializers.ChoiceField(choices=list(rules.STATE_LABELS))
    label = serializers.CharField()
    reason = serializers.CharField()


class CertificateSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.none()
    )
    surveillance_due_dates = serializers.SerializerMethodField()
    validity = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "organization",
            "edition",
            "number",
            "scope",
            "certification_body",
            "decision_date",
            "issue_date",
            "status",
            "kind",
            "previous",
            "transition_passed",
            "expires_on",
            "surveillance_due_dates",
            "surveillance_due",
            "surveillance_number",
            "recertification_audit_due",
            "validity",
        ]
        read_only_fields = [
            "kind",
            "expires_on",
            "surveillance_due",
            "surveillance_number",
            "recertification_audit_due",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["organization"].read_only = True
        return fields

    def get_surveillance_due_dates(self, obj) -> list[str]:
        return [d.isoformat() for d in obj.surveillance_due_dates()]

    @extend_schema_field(ValiditySerializer)
    def get_validity(self, obj):
        result = obj.validity(obj.organization.local_today())
        return {
            "valid": result.valid,
            "state": result.state,
            "label": result.label,
            "reason": result.reason,
        }


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "kind",
            "due_date",
            "title",
            "url",
            "created_at",
            "sent_at",
        ]
