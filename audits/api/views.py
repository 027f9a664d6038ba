from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from .. import selectors, services
from ..filters import AuditFilterSet, CorrectiveActionFilterSet, FindingFilterSet
from ..models import Audit, CertificationBody, CorrectiveAction, Finding, PlanSession
from .serializers import (
    AuditSerializer,
    CertificationBodySerializer,
    ClosingMeetingSerializer,
    ConcernResolveSerializer,
    CorrectiveActionSerializer,
    FindingSerializer,
    OpeningMeetingSerializer,
    PlanSessionSerializer,
    TransitionSerializer,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


@scoped_list_schema
class CertificationBodyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    serializer_class = CertificationBodySerializer
    queryset = CertificationBody.objects.select_related("organization").order_by("name")
    write_capability = Capability.CHANGE_ORGANIZATION
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_object(self, serializer, *, organization, data):
        return services.body_create(organization=organization, actor=self.request.user, **data)

    def update_object(self, serializer, *, instance, data):
        return services.body_update(body=instance, actor=self.request.user, **data)


@scoped_list_schema
class AuditViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """Audits; ``response_deadline`` and ``recommendation`` are computed, read-only."""

    serializer_class = AuditSerializer
    filterset_class = AuditFilterSet
    queryset = Audit.objects.select_related("organization", "certification_body", "audit_guide")
    queryset = queryset.prefetch_related("scope_clauses").order_by("-planned_start")
    write_capability = Capability.CHANGE_ORGANIZATION
    http_method_names = ["get", "post", "patch", "head", "options"]
    #: The lead auditor records the meetings (the "lead" rule), whatever their role in the org.
    object_actions = {"opening_meeting": "lead", "closing_meeting": "lead"}
    action_capabilities = {
        "opening_meeting": Capability.VIEW,
        "closing_meeting": Capability.VIEW,
    }

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        context = {**self.get_serializer_context(), "outcomes": selectors.outcomes_for(rows)}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def create_object(self, serializer, *, organization, data):
        data.pop("version", None)
        return services.audit_create(organization=organization, actor=self.request.user, **data)

    def update_object(self, serializer, *, instance, data):
        version = data.pop("version", None)
        try:
            return services.audit_update(
                audit=instance, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(request=OpeningMeetingSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"], url_path="opening-meeting")
    def opening_meeting(self, request, pk=None):
        """Record the opening meeting (each stage of an audit has its own)."""
        audit = self.get_object()  # the "lead" rule (403 otherwise)
        payload = OpeningMeetingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        audit = services.opening_meeting_record(
            audit=audit, actor=request.user, held_on=payload.validated_data["held_on"]
        )
        return Response(self.get_serializer(audit).data)

    @extend_schema(request=ClosingMeetingSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"], url_path="closing-meeting")
    def closing_meeting(self, request, pk=None):
        """Record the closing meeting: every nonconformity's deadline follows from it."""
        audit = self.get_object()
        payload = ClosingMeetingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        audit = services.closing_meeting_record(
            audit=audit, actor=request.user, held_on=payload.validated_data["held_on"]
        )
        return Response(self.get_serializer(audit).data)


@scoped_list_schema
class PlanSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    serializer_class = PlanSessionSerializer
    queryset = PlanSession.objects.select_related("organization", "audit", "clause").order_by(
        "starts_at"
    )
    write_capability = Capability.VIEW

    create_organization_field = "audit"

    def create_object(self, serializer, *, organization, data):
        return services.session_add(audit=data.pop("audit"), actor=self.request.user, **data)

    def destroy_object(self, *, instance):
        services.session_delete(session=instance, actor=self.request.user)


@scoped_list_schema
class FindingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """Findings; only an auditor assigned to the audit records or changes them."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    queryset = Finding.objects.select_related(
        "organization", "audit__certification_body", "clause"
    ).order_by("audit_id", "number")
    write_capability = Capability.VIEW
    #: An area of concern is resolved by its audit's lead while assigned, or a manager.
    object_actions = {"resolve": "resolve"}
    action_capabilities = {"resolve": Capability.VIEW}
    http_method_names = ["get", "post", "patch", "head", "options"]

    create_organization_field = "audit"

    def create_object(self, serializer, *, organization, data):
        data.pop("version", None)
        return services.finding_record(audit=data.pop("audit"), actor=self.request.user, **data)

    def update_object(self, serializer, *, instance, data):
        version = data.pop("version", None)
        data.pop("audit", None)
        try:
            return services.finding_update(
                finding=instance, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(request=ConcernResolveSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Record that a stage 1 area of concern is resolved (the lead auditor, a consultant or
        an admin; after the audit closed too)."""
        finding = self.get_object()  # the "resolve" rule (403 otherwise)
        payload = ConcernResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = services.concern_resolve(
            finding=finding, actor=request.user, **payload.validated_data
        )
        return Response(self.get_serializer(finding).data)


@scoped_list_schema
class CorrectiveActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """Corrective actions: the organisation answers, the audit's auditors review."""

    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilterSet
    queryset = CorrectiveAction.objects.select_related(
        "organization", "finding__audit__certification_body", "owner"
    ).order_by("finding__audit_id", "finding__number")
    write_capability = Capability.VIEW
    http_method_names = ["get", "post", "patch", "head", "options"]
    object_actions = {
        "submit": "change",
        "implemented": "change",
        "accept": "review",
        "return_plan": "review",
        "verify": "review",
    }

    def update_object(self, serializer, *, instance, data):
        version = data.pop("version", None)
        try:
            return services.action_update(
                action=instance, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    def _transition(self, request, service, who):
        action_obj = self.get_object()  # the action's rule: "change" or "review" (403)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        kwargs = {
            "action": action_obj,
            "actor": request.user,
            "version": payload.validated_data.get("version"),
        }
        if who == "auditor":
            kwargs["comment"] = payload.validated_data["comment"]
        try:
            action_obj = service(**kwargs)
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(self.get_serializer(action_obj).data)

    @extend_schema(request=TransitionSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, services.action_submit, "organisation")

    @extend_schema(request=TransitionSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def implemented(self, request, pk=None):
        return self._transition(request, services.action_implemented, "organisation")

    @extend_schema(request=TransitionSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, services.action_accept, "auditor")

    @extend_schema(request=TransitionSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_plan(self, request, pk=None):
        return self._transition(request, services.action_return, "auditor")

    @extend_schema(request=TransitionSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(request, services.action_verify, "auditor")
