from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins

from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from .. import services
from ..models import Certificate, CertificationProject, ChecklistItem, ProjectStep, Reminder
from .serializers import (
    CertificateSerializer,
    CertificationProjectSerializer,
    ChecklistItemSerializer,
    ProjectStepSerializer,
    ReminderSerializer,
)

WRITE = Capability.MANAGE_CERTIFICATION
METHODS = ["get", "post", "patch", "head", "options"]


@scoped_list_schema
class CertificationProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    serializer_class = CertificationProjectSerializer
    queryset = CertificationProject.objects.select_related("organization").order_by("pk")
    write_capability = WRITE
    http_method_names = METHODS


@scoped_list_schema
class ProjectStepViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    serializer_class = ProjectStepSerializer
    queryset = ProjectStep.objects.select_related("organization", "owner").order_by("number")
    write_capability = WRITE
    http_method_names = METHODS


@scoped_list_schema
class ChecklistItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    serializer_class = ChecklistItemSerializer
    queryset = ChecklistItem.objects.select_related("organization", "step").order_by(
        "step__number", "order"
    )
    write_capability = WRITE
    http_method_names = METHODS

    def perform_update(self, serializer):
        item = serializer.instance
        data = serializer.validated_data
        if "text" in data:
            item = services.item_update(item=item, actor=self.request.user, text=data["text"])
        if "done" in data:
            item = services.item_toggle(item=item, actor=self.request.user, done=data["done"])
        serializer.instance = item


@scoped_list_schema
class CertificateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """Certificates with their computed expiry, surveillance due dates and validity."""

    serializer_class = CertificateSerializer
    queryset = Certificate.objects.select_related(
        "organization", "certification_body", "previous", "successor"
    )
    write_capability = WRITE
    http_method_names = METHODS

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        if not permissions.can(self.request.user, WRITE, organization):
            raise exceptions.PermissionDenied(_("Your role does not allow this."))
        serializer.instance = services.certificate_record(
            organization=organization, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.certificate_update(
            certificate=serializer.instance,
            actor=self.request.user,
            **serializer.validated_data,
        )


@scoped_list_schema
class ReminderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet):
    """Reminders created by the periodic scan (read-only)."""

    serializer_class = ReminderSerializer
    queryset = Reminder.objects.order_by("-created_at")
    read_capability = Capability.MANAGE_CERTIFICATION
