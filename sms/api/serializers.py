"""Serializers of the SMS records API. Related-row choices are limited to the user's
organisations here, then to the record's own organisation in ``validate``: an id of another
organisation's row is a 400, never a link across tenants. Edits send back the ``version``
they loaded (a stale one answers 409)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from itsms.models import Clause, Evidence, Organization, User
from itsms.shared import permissions
from processes.models import Kpi, ProcessInstance, Service

from ..models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    SmsSettings,
    Supplier,
    TreatmentAction,
)
from ..selectors import records as rs
from ..selectors.suppliers import assessments_of

OTHER_ORGANIZATION = _("Choose rows of this organisation.")


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class RecordSerializer(serializers.ModelSerializer):
    """What every register's rows carry: organisation, reference, owner, links, version."""

    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation; cannot change."),
    )
    reference = serializers.CharField(read_only=True)
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("Email of a member of the organisation."),
    )
    clauses = serializers.SlugRelatedField(
        many=True,
        slug_field="number",
        queryset=Clause.objects.none(),
        required=False,
        help_text=_("Numbers of ISO/IEC 20000-1:2018 clauses, e.g. 6.1."),
    )
    processes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProcessInstance.objects.none(), required=False
    )
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Service.objects.none(), required=False
    )
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Evidence.objects.none(), required=False
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you loaded: required on every change; a stale one answers 409."),
    )

    #: the fields of the register's own, after the shared ones
    own_fields: list[str] = []
    link_names = ("clauses", "processes", "services", "evidence")

    class Meta:
        fields = [
            "id",
            "organization",
            "reference",
            "number",
            "title",
            "description",
            "owner",
            "status",
            "review_by",
            "clauses",
            "processes",
            "services",
            "evidence",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["number", "created_at", "updated_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["clauses"].child_relation.queryset = rs.primary_clauses()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["organization"].queryset = permissions.organizations_for(user)
            fields["owner"].queryset = rs.members_of_user_organizations(user)
            for name, model in (
                ("processes", ProcessInstance),
                ("services", Service),
                ("evidence", Evidence),
            ):
                fields[name].child_relation.queryset = rs.of_user_organizations(model, user)
            self.restrict(fields, user)
        return fields

    def restrict(self, fields, user):
        """Narrow a register's own related fields to the user's organisations."""

    def validate_organization(self, value):
        if self.instance is not None and value.pk != self.instance.organization_id:
            raise serializers.ValidationError(_("A record cannot move to another organisation."))
        return value

    def organization_of(self, attrs):
        return attrs.get("organization") or getattr(self.instance, "organization", None)

    def validate(self, attrs):
        organization = self.organization_of(attrs)
        errors = {}
        owner = attrs.get("owner")
        if owner is not None and organization is not None and not rs.is_member(owner, organization):
            errors["owner"] = [_("The owner must be a member of the organisation.")]
        for name in ("processes", "services", "evidence"):
            if any(o.organization_id != organization.pk for o in attrs.get(name, [])):
                errors[name] = [OTHER_ORGANIZATION]
        errors.update(self.validate_own(attrs, organization))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def validate_own(self, attrs, organization) -> dict:
        return {}

    def split(self, data: dict) -> tuple[dict, dict]:
        """(fields, links) of validated data, without organisation and version."""
        data = dict(data)
        data.pop("organization", None)
        data.pop("version", None)
        links = {name: data.pop(name) for name in self.link_names if name in data}
        return data, links


class RiskSerializer(RecordSerializer):
    inherent_score = serializers.IntegerField(read_only=True)
    residual_score = serializers.IntegerField(read_only=True, allow_null=True)
    current_score = serializers.IntegerField(read_only=True)
    level = serializers.SerializerMethodField(help_text=_("low, medium or high on the scale."))
    treatment_state = serializers.SerializerMethodField(
        help_text=_("acceptable, untreated, planned or treated.")
    )

    class Meta(RecordSerializer.Meta):
        model = Risk
        fields = [
            *RecordSerializer.Meta.fields,
            "kind",
            "category",
            "cause",
            "consequence",
            "likelihood",
            "impact",
            "treatment",
            "treatment_notes",
            "residual_likelihood",
            "residual_impact",
            "inherent_score",
            "residual_score",
            "current_score",
            "level",
            "treatment_state",
        ]

    def _scale(self, obj):
        """The organisation's scale, read once per organisation for a whole list."""
        from ..selectors.settings import settings_of

        scales = self.context.setdefault("_sms_scales", {})
        if obj.organization_id not in scales:
            scales[obj.organization_id] = settings_of(obj.organization)
        return scales[obj.organization_id]

    def get_level(self, obj) -> str | None:
        return self._scale(obj).level_of(obj.current_score)

    def get_treatment_state(self, obj) -> str:
        return obj.treatment_state(self._scale(obj))


class TreatmentActionSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    risk = serializers.PrimaryKeyRelatedField(queryset=Risk.objects.none())
    owner = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), allow_null=True, required=False
    )
    version = serializers.IntegerField(required=False)

    class Meta:
        model = TreatmentAction
        fields = [
            "id",
            "organization",
            "risk",
            "description",
            "owner",
            "due_date",
            "status",
            "completed_on",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["risk"].queryset = rs.of_user_organizations(Risk, user)
            fields["owner"].queryset = rs.members_of_user_organizations(user)
        return fields

    def validate_risk(self, value):
        if self.instance is not None and value.pk != self.instance.risk_id:
            raise serializers.ValidationError(_("An action cannot move to another risk."))
        return value

    def validate(self, attrs):
        risk = attrs.get("risk") or getattr(self.instance, "risk", None)
        owner = attrs.get("owner")
        if owner is not None and risk is not None and not rs.is_member(owner, risk.organization):
            raise serializers.ValidationError(
                {"owner": [_("The owner must be a member of the organisation.")]}
            )
        return attrs


class ObjectiveSerializer(RecordSerializer):
    kpi = serializers.PrimaryKeyRelatedField(
        queryset=Kpi.objects.none(), allow_null=True, required=False
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        read_only=True,
        allow_null=True,
        help_text=_("The current value: the KPI's latest, or the value recorded by hand."),
    )
    met = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta(RecordSerializer.Meta):
        model = Objective
        fields = [
            *RecordSerializer.Meta.fields,
            "measure",
            "kpi",
            "target",
            "unit",
            "direction",
            "current_value",
            "due_date",
            "plan_what",
            "plan_resources",
            "plan_responsible",
            "plan_when",
            "plan_evaluation",
            "value",
            "met",
        ]

    def restrict(self, fields, user):
        fields["kpi"].queryset = rs.of_user_organizations(Kpi, user)

    def validate_own(self, attrs, organization):
        kpi = attrs.get("kpi")
        if kpi is not None and kpi.organization_id != organization.pk:
            return {"kpi": [OTHER_ORGANIZATION]}
        return {}

    def to_representation(self, instance):
        if not hasattr(instance, "value"):
            instance.value = instance.measured_value(getattr(instance, "kpi_latest", None))
            instance.met = instance.is_met(instance.value)
        return super().to_representation(instance)


class SupplierSerializer(RecordSerializer):
    name = serializers.CharField(source="title", max_length=200)
    operates = serializers.SerializerMethodField(
        help_text=_("Numbers of the clauses the supplier operates.")
    )

    class Meta(RecordSerializer.Meta):
        model = Supplier
        fields = [f for f in RecordSerializer.Meta.fields if f != "title"] + [
            "name",
            "kind",
            "contact",
            "operates",
        ]

    def get_operates(self, obj) -> list[str]:
        return [link.assessment.clause.number for link in obj.operations.all()]


class AgreementSerializer(RecordSerializer):
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.none(), allow_null=True, required=False
    )
    last_review_on = serializers.DateField(read_only=True, allow_null=True)
    last_rating = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(RecordSerializer.Meta):
        model = Agreement
        fields = [
            *RecordSerializer.Meta.fields,
            "kind",
            "supplier",
            "customer",
            "agreement_number",
            "starts_on",
            "ends_on",
            "targets",
            "last_review_on",
            "last_rating",
        ]

    def restrict(self, fields, user):
        fields["supplier"].queryset = rs.of_user_organizations(Supplier, user)

    def validate_own(self, attrs, organization):
        supplier = attrs.get("supplier")
        if supplier is not None and supplier.organization_id != organization.pk:
            return {"supplier": [OTHER_ORGANIZATION]}
        return {}


class PerformanceReviewSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.none())
    recorded_by = serializers.EmailField(source="recorded_by.email", read_only=True, default=None)
    next_review_by = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text=_("Sets the agreement's next review date."),
    )

    class Meta:
        model = PerformanceReview
        fields = [
            "id",
            "organization",
            "agreement",
            "held_on",
            "rating",
            "notes",
            "actions",
            "recorded_by",
            "created_at",
            "next_review_by",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["agreement"].queryset = rs.of_user_organizations(Agreement, user)
        return fields


class DocumentChecklistItemSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    key = serializers.CharField(source="requirement.key", read_only=True)
    clause = serializers.CharField(source="requirement.clause.number", read_only=True)
    title = serializers.CharField(source="requirement.title", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Evidence.objects.none(), required=False
    )
    state = serializers.CharField(read_only=True, help_text=_("present, not_approved or missing."))
    version = serializers.IntegerField(required=False)

    class Meta:
        model = DocumentChecklistItem
        fields = [
            "id",
            "organization",
            "key",
            "clause",
            "title",
            "evidence",
            "state",
            "note",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["evidence"].child_relation.queryset = rs.of_user_organizations(Evidence, user)
        return fields

    def validate_evidence(self, value):
        if self.instance is not None and any(
            e.organization_id != self.instance.organization_id for e in value
        ):
            raise serializers.ValidationError(OTHER_ORGANIZATION)
        return value


class SettingsSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = SmsSettings
        fields = [
            "id",
            "organization",
            "likelihood_levels",
            "impact_levels",
            "acceptable_up_to",
            "high_from",
            "improvement_criteria",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at"]


class SupplierClausesSerializer(serializers.Serializer):
    clauses = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Numbers of the requirement clauses the supplier operates, e.g. 8.7.2."),
    )

    def assessments(self, supplier) -> list:
        numbers = self.validated_data["clauses"]
        found = list(assessments_of(supplier.organization).filter(clause__number__in=numbers))
        unknown = set(numbers) - {a.clause.number for a in found}
        if unknown:
            raise serializers.ValidationError(
                {
                    "clauses": [
                        _("Not requirement clauses of the gap assessment: %(n)s")
                        % {"n": ", ".join(sorted(unknown))}
                    ]
                }
            )
        return found


class ImprovementSerializer(RecordSerializer):
    overdue = serializers.SerializerMethodField(
        help_text=_("Approved or under way and past its target date.")
    )

    class Meta(RecordSerializer.Meta):
        model = Improvement
        fields = [
            *RecordSerializer.Meta.fields,
            "source",
            "source_reference",
            "raised_on",
            "evaluation",
            "benefit",
            "decision",
            "decided_on",
            "target_date",
            "implemented_on",
            "review_notes",
            "reviewed_on",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(obj.organization.local_today())
