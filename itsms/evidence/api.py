"""API of evidence: items (multipart upload), versions, document control, verified downloads.

Reads and writes follow the policy of ``Evidence`` (``itsms.shared.permissions``) through
``OrganizationScopedViewSet``: members and assigned outside auditors read, writes need
``Capability.UPLOAD_EVIDENCE`` and the action's object rule (a contributor changes only their
own or their assignments' evidence). Downloads pass the same checks as any other read and
verify the SHA-256 before a byte is sent.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from itsms.models import (
    Confidentiality,
    DocumentStatus,
    Evidence,
    EvidenceKind,
    EvidenceVersion,
    Organization,
    User,
)
from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.choices import TenantSerializerMixin
from itsms.shared.permissions import Capability

from . import downloads, selectors, services
from .filters import EvidenceFilterSet
from .validation import CONTENT_TYPES

PROCESS_MODEL = selectors.linkable_model("processes")
SERVICE_MODEL = selectors.linkable_model("services")


def _link_field(model, help_text):
    if model is None:
        return serializers.ListField(child=serializers.IntegerField(), required=False)
    return serializers.PrimaryKeyRelatedField(
        many=True, queryset=model._default_manager.none(), required=False, help_text=help_text
    )


class EvidenceVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceVersion
        fields = [
            "id",
            "evidence",
            "number",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "change_note",
            "uploaded_by",
            "uploaded_at",
            "integrity_failed_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("itsms-api:evidence-version-download", args=[obj.pk])


class EvidenceSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.none(),
        help_text=_("Slug of the organisation (on create)."),
    )
    owner = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), required=False, allow_null=True
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="email", queryset=User.objects.none(), required=False, allow_null=True
    )
    clauses = serializers.SlugRelatedField(
        slug_field="number",
        many=True,
        queryset=selectors.linkable_clauses(),
        required=False,
        help_text=_("Requirement clause numbers of ISO/IEC 20000-1:2018, e.g. 8.6.1."),
    )
    processes = _link_field(PROCESS_MODEL, _("Ids of the organisation's processes."))
    services = _link_field(SERVICE_MODEL, _("Ids of the organisation's services."))
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False)
    approved_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    approved_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    current_version = EvidenceVersionSerializer(read_only=True)
    deleted_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    counts = serializers.SerializerMethodField(
        help_text=_("Counts as evidence today: approved, unexpired, not deleted.")
    )
    expired = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        help_text=_(
            "The item's version as you loaded it: required on changes; a stale one answers 409 "
            "with the current values. (Not the file's version number.)"
        ),
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "organization",
            "title",
            "description",
            "kind",
            "owner",
            "confidentiality",
            "effective_date",
            "review_by",
            "reviewer",
            "clauses",
            "processes",
            "services",
            "status",
            "status_note",
            "approved_by",
            "approved_at",
            "approved_version",
            "current_version",
            "counts",
            "expired",
            "created_at",
            "updated_at",
            "deleted_at",
            "deleted_by",
            "deletion_reason",
            "version",
        ]
        read_only_fields = [
            "status",
            "status_note",
            "approved_at",
            "created_at",
            "updated_at",
            "deleted_at",
            "deletion_reason",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["organization"].read_only = True
        return fields

    def get_counts(self, obj) -> bool:
        return obj.counts(obj.organization.local_today())

    def get_expired(self, obj) -> bool:
        return obj.is_flagged_expired(obj.organization.local_today())


class EvidenceCreateSerializer(EvidenceSerializer):
    file = serializers.FileField(
        write_only=True, help_text=_("The document (checked by content; at most the size limit).")
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "file"]


class EvidenceVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    change_note = serializers.CharField()


class EvidenceTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceDeleteSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _verified_download(version):
    ok, data = services.version_verify(version)
    if not ok:
        return Response(
            {
                "detail": _(
                    "Integrity check failed: the stored file no longer matches its SHA-256. "
                    "It was not served; the failure was recorded."
                ),
                "sha256": version.sha256,
                "found": version.integrity_observed_sha256,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return downloads.file_response(version, data)


DOWNLOAD_SCHEMA = extend_schema(
    responses={
        (200, *CONTENT_TYPES): OpenApiTypes.BINARY,
        409: OpenApiResponse(description=_("The stored file failed its integrity check.")),
    }
)


class EvidenceReadMixin:
    """Lists show the live items; ``?deleted=1`` the deleted ones, to those who restore them."""

    read_capability = Capability.VIEW
    write_capability = Capability.UPLOAD_EVIDENCE
    deleted_field = "deleted_at"

    def get_queryset(self):
        base = super().get_queryset()
        if self.action != "list" or getattr(self, "swagger_fake_view", False):
            return base
        show_deleted = self.request.query_params.get("deleted") in ("1", "true") and (
            permissions.can(
                self.request.user, Capability.CHANGE_ORGANIZATION, self.list_organization()
            )
        )
        return base.filter(**{f"{self.deleted_field}__isnull": not show_deleted})


@scoped_list_schema
class EvidenceViewSet(
    EvidenceReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """Evidence items. Create with a multipart upload; DELETE is a soft delete with a reason."""

    queryset = Evidence.objects.order_by("title", "pk")
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.with_related(super().get_queryset())

    def get_serializer_class(self):
        if self.action == "create":
            return EvidenceCreateSerializer
        return super().get_serializer_class()

    # ``transition``: the service checks the rule of the change asked for ("change", or
    # "approve" for the named reviewer's decision)
    object_actions = {"transition": "view", "restore": "restore", "upload_version": "change"}

    def create_object(self, serializer, *, organization, data):
        upload = data.pop("file")
        return services.evidence_create(
            organization=organization, actor=self.request.user, upload=upload, **data
        )

    def update_object(self, serializer, *, instance, data):
        return services.evidence_update(
            evidence=instance, actor=self.request.user, version=data.pop("version", None), **data
        )

    @extend_schema(request=EvidenceDeleteSerializer, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Soft delete with a reason (body or ``?reason=``); the files are kept."""
        evidence = self.get_object()
        reason = request.data.get("reason") or request.query_params.get("reason") or ""
        services.evidence_delete(evidence=evidence, actor=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=EvidenceTransitionSerializer, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Document control: draft → in_review → approved → superseded / expired."""
        evidence = self.get_object()
        payload = EvidenceTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        evidence = services.evidence_transition(
            evidence=evidence,
            actor=request.user,
            to=payload.validated_data["status"],
            note=payload.validated_data["note"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evidence.pk)).data)

    @extend_schema(request=None, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Undo a soft delete (consultants and admins)."""
        evidence = self.get_object()
        services.evidence_restore(evidence=evidence, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=evidence.pk)).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceVersionUploadSerializer},
        responses={201: EvidenceVersionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="versions")
    def upload_version(self, request, pk=None):
        """Upload a new version with a change note; nothing is overwritten."""
        evidence = self.get_object()
        payload = EvidenceVersionUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = services.evidence_add_version(
            evidence=evidence,
            actor=request.user,
            upload=payload.validated_data["file"],
            change_note=payload.validated_data["change_note"],
        )
        return Response(EvidenceVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @DOWNLOAD_SCHEMA
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The current version's file, if its SHA-256 still matches."""
        evidence = self.get_object()
        if evidence.current_version is None:
            raise exceptions.NotFound(_("No file."))
        return _verified_download(evidence.current_version)


@scoped_list_schema
class EvidenceVersionViewSet(
    EvidenceReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    """Every version of every item (``?evidence=<id>`` for one item's history)."""

    queryset = EvidenceVersion.objects.select_related("uploaded_by", "evidence").order_by(
        "evidence_id", "-number"
    )
    serializer_class = EvidenceVersionSerializer
    filterset_fields = ["evidence", "sha256"]
    deleted_field = "evidence__deleted_at"

    @DOWNLOAD_SCHEMA
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """This version's file, if its SHA-256 still matches."""
        return _verified_download(self.get_object())


__all__ = ["EvidenceViewSet", "EvidenceVersionViewSet"]
