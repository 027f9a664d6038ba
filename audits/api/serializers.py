from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsms.models import Clause, Organization, User
from itsms.shared.choices import TenantSerializerMixin
from itsms.standards.reference import PRIMARY

from .. import rules, selectors
from ..models import Audit, CertificationBody, CorrectiveAction, Finding, PlanSession


def _organization_field():
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation (on create)."),
    )


class CertificationBodySerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = _organization_field()

    class Meta:
        model = CertificationBody
        fields = [
            "id",
            "organization",
            "name",
            "accreditation",
            "contacts",
            "response_window_days",
            "recertification_lead_days",
            "transition_cutoff",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["organization"].read_only = True
        return fields


class RecommendationSerializer(serializers.Serializer):
    recommended = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    repeat_stage2 = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer):
    """What the audit concludes, computed by ``audits.rules.outcome``."""

    kind = serializers.ChoiceField(
        choices=[
            (rules.RECOMMENDATION, _("Certification recommendation")),
            (rules.STAGE2_READINESS, _("Readiness for stage 2")),
            (rules.MAINTENANCE, _("Maintenance of certification")),
            (rules.NO_DECISION, _("No certification decision")),
        ],
        help_text=_(
            "recommendation: stage 2, recertification, transition, and follow-up or special "
            "audits that lead to a decision; stage2_readiness: stage 1; maintenance: "
            "surveillance; none: internal and other audits."
        ),
    )
    positive = serializers.BooleanField(
        allow_null=True, help_text=_("Recommended / ready / maintained; null for none.")
    )
    headline = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    repeat_stage2 = serializers.BooleanField()
    areas_of_concern = serializers.ListField(
        child=serializers.CharField(), help_text=_("References of the stage 1 areas of concern.")
    )


def outcome_data(outcome: rules.Outcome) -> dict:
    return {
        "kind": outcome.kind,
        "positive": outcome.positive,
        "headline": outcome.headline,
        "reasons": outcome.reasons,
        "repeat_stage2": outcome.repeat_stage2,
        "areas_of_concern": outcome.areas_of_concern,
    }


class AuditSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = _organization_field()
    certification_body = serializers.PrimaryKeyRelatedField(
        queryset=CertificationBody.objects.none(), required=False, allow_null=True
    )
    audit_guide = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), required=False, allow_null=True
    )
    scope_clauses = serializers.SlugRelatedField(
        slug_field="number",
        many=True,
        required=False,
        queryset=Clause.objects.filter(standard__code=PRIMARY),
    )
    reference = serializers.CharField(read_only=True)
    response_deadline = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.SerializerMethodField()
    recommendation = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Audit
        fields = [
            "id",
            "reference",
            "organization",
            "kind",
            "leads_to_decision",
            "title",
            "certification_body",
            "audit_guide",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "standard_edition",
            "scope_statement",
            "scope_clauses",
            "scope_sites",
            "objectives",
            "status",
            "opening_meeting_on",
            "closing_meeting_on",
            "response_deadline",
            "outcome",
            "recommendation",
            "version",
        ]
        read_only_fields = ["status", "opening_meeting_on", "closing_meeting_on"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["organization"].read_only = True
        return fields

    def _outcome(self, obj) -> rules.Outcome:
        # A list computes every audit's outcome in one query (AuditViewSet.list).
        outcomes = self.context.setdefault("outcomes", {})
        if obj.pk not in outcomes:
            outcomes[obj.pk] = selectors.outcome_for(obj)
        return outcomes[obj.pk]

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, obj):
        return outcome_data(self._outcome(obj))

    @extend_schema_field(RecommendationSerializer(allow_null=True))
    def get_recommendation(self, obj):
        """Only for audits that lead to a certification decision; null for the others."""
        result = self._outcome(obj)
        if result.kind != rules.RECOMMENDATION:
            return None
        return {
            "recommended": result.recommended,
            "reasons": result.reasons,
            "repeat_stage2": result.repeat_stage2,
        }


class PlanSessionSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    audit = serializers.PrimaryKeyRelatedField(queryset=Audit.objects.none())
    clause = serializers.SlugRelatedField(
        slug_field="number",
        required=False,
        allow_null=True,
        queryset=Clause.objects.filter(standard__code=PRIMARY),
    )

    class Meta:
        model = PlanSession
        fields = ["id", "audit", "starts_at", "ends_at", "clause", "topic", "auditee", "location"]


class FindingSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    audit = serializers.PrimaryKeyRelatedField(queryset=Audit.objects.none())
    clause = serializers.SlugRelatedField(
        slug_field="number",
        required=False,
        allow_null=True,
        queryset=Clause.objects.filter(standard__code=PRIMARY),
    )
    reference = serializers.CharField(read_only=True)
    response_deadline = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Finding
        fields = [
            "id",
            "audit",
            "reference",
            "number",
            "grade",
            "clause",
            "statement",
            "requirement",
            "objective_evidence",
            "response_deadline",
            "resolved_on",
            "resolution",
            "recorded_at",
            "version",
        ]
        # An area of concern is resolved through its own action (``/resolve/``).
        read_only_fields = ["number", "recorded_at", "resolved_on", "resolution"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["audit"].read_only = True
        return fields

    def validate(self, attrs):
        grade = attrs.get("grade") or getattr(self.instance, "grade", None)
        clause = attrs.get("clause", getattr(self.instance, "clause", None))
        if grade in ("major", "minor") and clause is None:
            raise serializers.ValidationError(
                {"clause": [_("A nonconformity names the clause not met.")]}
            )
        return attrs


class CorrectiveActionSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    finding = serializers.CharField(source="finding.reference", read_only=True)
    audit = serializers.IntegerField(source="finding.audit_id", read_only=True)
    grade = serializers.CharField(source="finding.grade", read_only=True)
    response_deadline = serializers.DateField(
        source="finding.response_deadline", read_only=True, allow_null=True
    )
    owner = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), required=False, allow_null=True
    )
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "finding",
            "audit",
            "grade",
            "response_deadline",
            "correction",
            "root_cause",
            "plan",
            "owner",
            "target_date",
            "state",
            "auditor_comment",
            "submitted_at",
            "submitted_on",
            "accepted_on",
            "implemented_on",
            "verified_on",
            "overdue",
            "version",
        ]
        read_only_fields = [
            "state",
            "auditor_comment",
            "submitted_at",
            "submitted_on",
            "accepted_on",
            "implemented_on",
            "verified_on",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(obj.organization.local_today())


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        help_text=_("The corrective action's version as you loaded it (a stale one: 409).")
    )


class ClosingMeetingSerializer(serializers.Serializer):
    held_on = serializers.DateField()


class ConcernResolveSerializer(serializers.Serializer):
    """An area of concern found resolved (``resolved_on`` null: open again)."""

    resolved_on = serializers.DateField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class OpeningMeetingSerializer(serializers.Serializer):
    held_on = serializers.DateField()
