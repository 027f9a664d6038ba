"""Serializers of the processes API. Related-object choices are narrowed to the object's
organisation by ``TenantSerializerMixin`` (``itsms.shared.choices``): an id of another
organisation's object is a 400 "does not exist", never a link across tenants."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itsms.models import Clause, ClauseCorrelation, Organization, User
from itsms.shared.choices import TenantSerializerMixin
from itsms.standards.serializers import ClauseRefSerializer

from .. import selectors
from ..catalogue import chapter_of
from ..models import Kpi, KpiValue, Priority, ProcessInstance, Service, ServiceLevelTarget


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class PredecessorSerializer(serializers.ModelSerializer):
    other = ClauseRefSerializer(read_only=True)
    note = serializers.CharField(
        read_only=True, help_text=_("The project's note on the correlation.")
    )

    class Meta:
        model = ClauseCorrelation
        fields = ["relation", "inferred", "note", "other"]


class CatalogueProcessSerializer(serializers.ModelSerializer):
    """A process of the clause-8 catalogue with its 2011 counterparts (the project's mapping)."""

    chapter = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField(
        help_text=_("ISO/IEC 20000-1:2011 counterparts: this project's own mapping.")
    )
    sub_requirements = serializers.SerializerMethodField()
    title = serializers.CharField(
        read_only=True, help_text=_("The heading in the request's language.")
    )
    guidance = serializers.CharField(
        read_only=True, help_text=_("The project's guidance in the request's language.")
    )

    class Meta:
        model = Clause
        fields = [
            "id",
            "number",
            "title",
            "chapter",
            "new_in_edition",
            "guidance",
            "predecessors",
            "sub_requirements",
        ]

    def get_chapter(self, obj) -> str:
        return chapter_of(obj.number)

    @extend_schema_field(PredecessorSerializer(many=True))
    def get_predecessors(self, obj):
        return PredecessorSerializer(getattr(obj, "predecessor_list", []), many=True).data

    @extend_schema_field(ClauseRefSerializer(many=True))
    def get_sub_requirements(self, obj):
        return ClauseRefSerializer(getattr(obj, "child_list", []), many=True).data


class ProcessInstanceSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    """An organisation's process. ``version`` must be sent back unchanged with every edit."""

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    clause = ClauseRefSerializer(read_only=True)
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("Email of a member of the organisation."),
    )
    kpi_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(
        help_text=_("The version you loaded; an edit of a stale version is refused (409).")
    )

    class Meta:
        model = ProcessInstance
        fields = [
            "id",
            "organization",
            "clause",
            "owner",
            "status",
            "maturity",
            "purpose",
            "procedure_reference",
            "last_review_date",
            "kpi_count",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at"]


class KpiValueSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    kpi = serializers.PrimaryKeyRelatedField(queryset=Kpi.objects.none())
    recorded_by = serializers.EmailField(source="recorded_by.email", read_only=True, default=None)
    meets_target = serializers.SerializerMethodField()

    class Meta:
        model = KpiValue
        fields = [
            "id",
            "kpi",
            "period_start",
            "value",
            "note",
            "meets_target",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]
        validators = []  # one value per period: checked in validate, with a clear message

    def get_meets_target(self, obj) -> bool | None:
        return obj.kpi.meets_target(obj.value)

    def validate(self, attrs):
        kpi, period_start = attrs.get("kpi"), attrs.get("period_start")
        if kpi is not None and kpi.values.filter(period_start=period_start).exists():
            raise serializers.ValidationError(
                {"period_start": [_("A value for this period is already recorded.")]}
            )
        return attrs


class KpiSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    process = serializers.PrimaryKeyRelatedField(queryset=ProcessInstance.objects.none())
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Kpi
        fields = [
            "id",
            "organization",
            "process",
            "name",
            "description",
            "target",
            "unit",
            "period",
            "direction",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []  # name uniqueness per process: checked in validate

    def validate_process(self, value):
        if self.instance is not None and value.pk != self.instance.process_id:
            raise serializers.ValidationError(_("A KPI cannot move to another process."))
        return value

    def validate(self, attrs):
        process = attrs.get("process") or getattr(self.instance, "process", None)
        name = attrs.get("name")
        if process is not None and name:
            others = process.kpis.filter(name__iexact=name.strip())
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError(
                    {"name": [_("This process already has a KPI of this name.")]}
                )
        return attrs


class ServiceLevelTargetSerializer(serializers.ModelSerializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    response_minutes = serializers.IntegerField(min_value=1)
    resolution_minutes = serializers.IntegerField(min_value=1)

    class Meta:
        model = ServiceLevelTarget
        fields = ["priority", "response_minutes", "resolution_minutes"]
        validators = []

    def validate(self, attrs):
        if attrs["resolution_minutes"] < attrs["response_minutes"]:
            raise serializers.ValidationError(
                {
                    "resolution_minutes": [
                        _("The resolution time cannot be shorter than the response time.")
                    ]
                }
            )
        return attrs


class ServiceSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    """A service of the portfolio with its SLA targets (replaced as a whole when sent)."""

    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation; cannot change."),
    )
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("Email of a member of the organisation."),
    )
    processes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProcessInstance.objects.none(), required=False
    )
    clauses = serializers.SlugRelatedField(
        many=True,
        slug_field="number",
        queryset=Clause.objects.none(),
        required=False,
        help_text=_("Numbers of ISO/IEC 20000-1:2018 clauses, e.g. 8.3.3."),
    )
    sla_targets = ServiceLevelTargetSerializer(many=True, required=False)

    class Meta:
        model = Service
        fields = [
            "id",
            "organization",
            "name",
            "description",
            "customers",
            "owner",
            "status",
            "availability_target",
            "processes",
            "clauses",
            "sla_targets",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # name uniqueness per organisation: checked in validate

    def get_fields(self):
        fields = super().get_fields()
        fields["clauses"].child_relation.queryset = selectors.primary_clauses()
        return fields

    def validate_organization(self, value):
        if self.instance is not None and value.pk != self.instance.organization_id:
            raise serializers.ValidationError(_("A service cannot move to another organisation."))
        return value

    def validate_sla_targets(self, value):
        priorities = [row["priority"] for row in value]
        if len(priorities) != len(set(priorities)):
            raise serializers.ValidationError(_("Give each priority at most once."))
        return value

    def validate(self, attrs):
        organization = attrs.get("organization") or getattr(self.instance, "organization", None)
        errors = {}
        name = attrs.get("name")
        if name:
            others = organization.service_set.filter(name__iexact=name.strip())
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                errors["name"] = [_("A service with this name already exists.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_internal_sla(self, rows):
        if rows is None:
            return None
        return {r["priority"]: (r["response_minutes"], r["resolution_minutes"]) for r in rows}
