"""API of the gap assessment: clause assessments, bulk assignment, readiness."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.models import Clause, ClauseAssessment, Organization, Status, User
from itsms.models.assessment import NO_EXCLUSION_MESSAGE, OtherParty
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.choices import TenantSerializerMixin
from itsms.shared.permissions import Capability
from itsms.standards.reference import PRIMARY

from . import selectors as gap
from . import services
from .filters import ClauseAssessmentFilterSet

EXCLUSION_WORDS = {"not_applicable", "n/a", "na", "excluded", "exclude", "not applicable"}
EXCLUSION_FIELDS = {"applicable", "excluded", "not_applicable", "exclusion", "is_applicable"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ClauseAssessmentSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation (on create)."),
    )
    clause = serializers.SlugRelatedField(
        slug_field="number",
        queryset=Clause.objects.filter(standard__code=PRIMARY),
        help_text=_("Clause number of ISO/IEC 20000-1:2018, e.g. 8.6.1 (on create)."),
    )
    clause_title = serializers.CharField(source="clause.title", read_only=True)
    status = serializers.CharField(
        required=False, help_text=_("not_started, planned, partial or implemented")
    )
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Email of a member of the organisation."),
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_(
            "The version you loaded; when given and someone saved since, the answer is 409."
        ),
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ClauseAssessment
        fields = [
            "id",
            "organization",
            "clause",
            "clause_title",
            "status",
            "maturity",
            "owner",
            "target_date",
            "notes",
            "other_party",
            "other_party_name",
            "version",
            "updated_at",
            "overdue",
        ]
        read_only_fields = ["updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["organization"].read_only = True
            fields["clause"].read_only = True
        return fields

    def get_validators(self):
        return []  # uniqueness is checked in validate() with a message that says what to do

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(obj.organization.local_today())

    def to_internal_value(self, data):
        if hasattr(data, "keys") and EXCLUSION_FIELDS & set(data.keys()):
            raise serializers.ValidationError({"status": [NO_EXCLUSION_MESSAGE]})
        return super().to_internal_value(data)

    def validate_status(self, value):
        if value.strip().lower() in EXCLUSION_WORDS:
            raise serializers.ValidationError(NO_EXCLUSION_MESSAGE)
        if value not in Status.values:
            raise serializers.ValidationError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(Status.values)}
            )
        return value

    def validate_maturity(self, value):
        if not 0 <= value <= 5:
            raise serializers.ValidationError(_("Maturity is a level from 0 to 5."))
        return value

    def validate_other_party(self, value):
        if value not in OtherParty.values:
            raise serializers.ValidationError(_("Not a known kind of other party."))
        return value

    def validate(self, attrs):
        organization = attrs.get("organization") or getattr(self.instance, "organization", None)
        clause = attrs.get("clause")
        if clause is not None and self.instance is None:
            if clause.children.exists():
                raise serializers.ValidationError(
                    {
                        "clause": [
                            _(
                                "%(number)s is a heading: assess its sub-clauses; "
                                "its score is their roll-up."
                            )
                            % {"number": clause.number}
                        ]
                    }
                )
            if gap.is_assessed(organization, clause):
                raise serializers.ValidationError(
                    {"clause": [_("This clause is already assessed: change it with PATCH.")]}
                )
        return attrs


class BulkAssignSerializer(TenantSerializerMixin, serializers.Serializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.none()
    )
    heading = serializers.CharField(help_text=_("A heading's number, e.g. 8.6"))
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.none(),
        allow_null=True,
        help_text=_("Email of a member of the organisation."),
    )
    target_date = serializers.DateField(required=False, allow_null=True)


@scoped_list_schema
class ClauseAssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """The gap assessment, one row per requirement clause. There is no "not applicable"."""

    serializer_class = ClauseAssessmentSerializer
    filterset_class = ClauseAssessmentFilterSet
    queryset = ClauseAssessment.objects.select_related("clause", "owner", "organization").order_by(
        "clause__order"
    )
    read_capability = Capability.VIEW
    write_capability = Capability.ASSESS
    http_method_names = ["get", "post", "patch", "head", "options"]

    object_actions = {"bulk_assign": "add"}
    action_capabilities = {"bulk_assign": Capability.CHANGE_ORGANIZATION}

    def create_object(self, serializer, *, organization, data):
        data.pop("version", None)
        return services.assessment_create(
            organization=organization, actor=self.request.user, clause=data.pop("clause"), **data
        )

    def update_object(self, serializer, *, instance, data):
        version = data.pop("version", None)
        try:
            return services.assessment_update(
                assessment=instance, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(
        request=BulkAssignSerializer,
        responses=inline_serializer("BulkAssignResult", {"assigned": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        """Give every requirement clause under a heading the same owner (and target date)."""
        organization = self.payload_organization()
        payload = BulkAssignSerializer(
            data=request.data,
            context={**self.get_serializer_context(), "organization": organization},
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        heading = Clause.objects.filter(standard__code=PRIMARY, number=data["heading"]).first()
        if heading is None:
            raise serializers.ValidationError({"heading": [_("No such clause.")]})
        owner = data["owner"]
        count = services.assessment_bulk_assign(
            organization=organization,
            actor=request.user,
            heading=heading,
            owner=owner,
            target_date=data.get("target_date"),
        )
        return Response({"assigned": count})


@extend_schema_serializer(many=False)
class ReadinessSerializer(serializers.Serializer):
    organization = serializers.CharField()
    overall_percent = serializers.IntegerField()
    chapters = inline_serializer(
        "ChapterReadiness",
        {"number": serializers.CharField(), "percent": serializers.IntegerField()},
        many=True,
    )
    headings = serializers.DictField(child=serializers.IntegerField())
    evidenced_percent = serializers.IntegerField(
        help_text=_("Implemented clauses backed by approved, unexpired evidence.")
    )
    evidenced_chapters = inline_serializer(
        "ChapterEvidencedReadiness",
        {"number": serializers.CharField(), "percent": serializers.IntegerField()},
        many=True,
    )
    evidenced_headings = serializers.DictField(child=serializers.IntegerField())
    rule = serializers.ListField(child=serializers.CharField())


@scoped_list_schema
class ReadinessViewSet(OrganizationScopedViewSet):
    """Self-assessed and evidenced readiness of an organisation, overall, per chapter and
    per heading."""

    queryset = ClauseAssessment.objects.all()
    serializer_class = ReadinessSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request):
        organization = self.list_organization()
        score = gap.readiness_of(organization)
        evidenced = gap.evidenced_readiness_of(organization)
        from .readiness import RULE_TEXT, percent

        return Response(
            {
                "organization": organization.slug,
                "overall_percent": score.overall_percent,
                "chapters": [{"number": n, "percent": p} for n, p in score.chapters()],
                "headings": {n: percent(v) for n, v in score.headings.items()},
                "evidenced_percent": evidenced.overall_percent,
                "evidenced_chapters": [
                    {"number": n, "percent": p} for n, p in evidenced.chapters()
                ],
                "evidenced_headings": {n: percent(v) for n, v in evidenced.headings.items()},
                "rule": [str(line) for line in RULE_TEXT],
            }
        )
