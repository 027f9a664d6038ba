from rest_framework import mixins

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

    def update_object(self, serializer, *, instance, data):
        return services.project_update(project=instance, actor=self.request.user, **data)


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

    def update_object(self, serializer, *, instance, data):
        return services.step_update(step=instance, actor=self.request.user, **data)


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

    def update_object(self, serializer, *, instance, data):
        return services.item_change(
            item=instance, actor=self.request.user, text=data.get("text"), done=data.get("done")
        )


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

    def create_object(self, serializer, *, organization, data):
        return services.certificate_record(
            organization=organization, actor=self.request.user, **data
        )

    def update_object(self, serializer, *, instance, data):
        return services.certificate_update(certificate=instance, actor=self.request.user, **data)


@scoped_list_schema
class ReminderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet):
    """Reminders created by the periodic scan (read-only)."""

    serializer_class = ReminderSerializer
    queryset = Reminder.objects.order_by("-created_at")
    read_capability = Capability.MANAGE_CERTIFICATION
