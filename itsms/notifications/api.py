"""In-app notifications of the signed-in user, and marking them read."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.models import Notification
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from . import services as notifications


class NotificationSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "organization", "text", "url", "created_at", "read_at"]


@scoped_list_schema
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    """The user's own notifications in an organisation (``?unread=true`` for unread only)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.select_related("organization").order_by("-created_at")
    filter_backends: list = []

    object_actions = {"read": "change"}
    write_capability = Capability.VIEW  # marking one's own notification read

    def get_queryset(self):
        queryset = super().get_queryset()  # the user's own: the policy of ``Notification``
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notifications.mark_read(notification=self.get_object(), user=request.user)
        return Response(self.get_serializer(notification).data)
