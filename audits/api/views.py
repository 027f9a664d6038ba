from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from .. import permissions as audit_permissions
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


class AuditScopedMixin:
    """Non-member auditors see only what belongs to the audits they are assigned to."""

    audit_path = "audit"

    def get_queryset(self):
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs
        user = self.request.user
        member_orgs = permissions.member_organizations(user)
        path = self.audit_path
        assigned = {
            f"{path}__assignments__user": user,
            f"{path}__assignments__ended_at__isnull": True,
        }
        from django.db.models import Q

        return qs.filter(Q(organization__in=member_orgs) | Q(**assigned)).distinct()


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

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        if not permissions.can(self.request.user, Capability.CHANGE_ORGANIZATION, organization):
            raise exceptions.PermissionDenied()
        serializer.save()


@scoped_list_schema
class AuditViewSet(
    AuditScopedMixin,
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
    audit_path = "id"
    #: The lead auditor records the meetings (``may_lead``), whatever their role in the org.
    lead_actions = ("opening_meeting", "closing_meeting")

    def capability_for(self, request):
        if self.action in self.lead_actions:
            return Capability.VIEW
        return super().capability_for(request)

    def get_queryset(self):
        qs = OrganizationScopedViewSet.get_queryset(self)
        if getattr(self, "swagger_fake_view", False):
            return qs
        from django.db.models import Q

        user = self.request.user
        member_orgs = permissions.member_organizations(user)
        return qs.filter(
            Q(organization__in=member_orgs)
            | Q(assignments__user=user, assignments__ended_at__isnull=True)
        ).distinct()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        context = {**self.get_serializer_context(), "outcomes": selectors.outcomes_for(rows)}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        data.pop("version", None)
        if not permissions.can(self.request.user, Capability.CHANGE_ORGANIZATION, organization):
            raise exceptions.PermissionDenied()
        serializer.instance = services.audit_create(
            organization=organization, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        try:
            serializer.instance = services.audit_update(
                audit=serializer.instance, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(request=OpeningMeetingSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"], url_path="opening-meeting")
    def opening_meeting(self, request, pk=None):
        """Record the opening meeting (each stage of an audit has its own)."""
        audit = self.get_object()
        membership = permissions.membership_of(request.user, audit.organization)
        if not audit_permissions.may_lead(request.user, membership, audit):
            raise exceptions.PermissionDenied(_("The lead auditor records the opening meeting."))
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
        membership = permissions.membership_of(request.user, audit.organization)
        if not audit_permissions.may_lead(request.user, membership, audit):
            raise exceptions.PermissionDenied(_("The lead auditor records the closing meeting."))
        payload = ClosingMeetingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        audit = services.closing_meeting_record(
            audit=audit, actor=request.user, held_on=payload.validated_data["held_on"]
        )
        return Response(self.get_serializer(audit).data)


@scoped_list_schema
class PlanSessionViewSet(
    AuditScopedMixin,
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

    def perform_create(self, serializer):
        audit = serializer.validated_data["audit"]
        membership = permissions.membership_of(self.request.user, audit.organization)
        if not audit_permissions.may_lead(self.request.user, membership, audit):
            raise exceptions.PermissionDenied()
        data = dict(serializer.validated_data)
        data.pop("audit")
        serializer.instance = services.session_add(audit=audit, actor=self.request.user, **data)

    def perform_destroy(self, instance):
        membership = permissions.membership_of(self.request.user, instance.organization)
        if not audit_permissions.may_lead(self.request.user, membership, instance.audit):
            raise exceptions.PermissionDenied()
        instance.delete()


@scoped_list_schema
class FindingViewSet(
    AuditScopedMixin,
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
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        audit = serializer.validated_data["audit"]
        if not audit_permissions.may_record(self.request.user, audit):
            raise exceptions.PermissionDenied(_("You are not an auditor of this audit."))
        data = dict(serializer.validated_data)
        data.pop("audit")
        data.pop("version", None)
        serializer.instance = services.finding_record(audit=audit, actor=self.request.user, **data)

    def perform_update(self, serializer):
        finding = serializer.instance
        if not audit_permissions.may_record(self.request.user, finding.audit):
            raise exceptions.PermissionDenied(_("You are not an auditor of this audit."))
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        try:
            serializer.instance = services.finding_update(
                finding=finding, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    @extend_schema(request=ConcernResolveSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Record that a stage 1 area of concern is resolved (the lead auditor, a consultant or
        an admin; after the audit closed too)."""
        finding = self.get_object()
        membership = permissions.membership_of(request.user, finding.organization)
        if not audit_permissions.may_lead(request.user, membership, finding.audit):
            raise exceptions.PermissionDenied(
                _("The lead auditor, a consultant or an admin records this.")
            )
        payload = ConcernResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = services.concern_resolve(
            finding=finding, actor=request.user, **payload.validated_data
        )
        return Response(self.get_serializer(finding).data)


@scoped_list_schema
class CorrectiveActionViewSet(
    AuditScopedMixin,
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
    audit_path = "finding__audit"

    def perform_update(self, serializer):
        action_obj = serializer.instance
        membership = permissions.membership_of(self.request.user, action_obj.organization)
        if not audit_permissions.may_answer(self.request.user, membership, action_obj):
            raise exceptions.PermissionDenied()
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        try:
            serializer.instance = services.action_update(
                action=action_obj, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from exc

    def _transition(self, request, service, who):
        action_obj = self.get_object()
        membership = permissions.membership_of(request.user, action_obj.organization)
        allowed = (
            audit_permissions.may_record(request.user, action_obj.finding.audit)
            if who == "auditor"
            else audit_permissions.may_answer(request.user, membership, action_obj)
        )
        if not allowed:
            raise exceptions.PermissionDenied()
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
