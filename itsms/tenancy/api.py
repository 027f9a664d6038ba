from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from itsms.models import Invitation, Membership, Organization
from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from . import services
from .filters import InvitationFilterSet, MembershipFilterSet
from .serializers import InvitationSerializer, MembershipSerializer, OrganizationSerializer


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisations the user is a member of. Anyone signed in may create one."""

    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"  # anything else is a 404 before any query
    queryset = Organization.objects.none()  # get_queryset: the user's own organisations
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return permissions.organizations_for(self.request.user).with_role_of(self.request.user)

    def get_object(self):
        organization = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not permissions.can(
            self.request.user, Capability.CHANGE_ORGANIZATION, organization
        ):
            raise PermissionDenied()  # before the payload is read: a viewer learns nothing
        return organization

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.organization_create(
            actor=self.request.user,
            name=data["name"],
            slug=data["slug"],
            time_zone=data.get("time_zone", "UTC"),
            language=data.get("language", "en"),
            scope=data.get("scope", ""),
            creator_role=data.get("creator_role"),
            require_mfa=data.get("require_mfa", False),
        )

    def check_object_permissions(self, request, obj):
        """One organisation's details: its second-factor policy applies (403 mfa_required)."""
        super().check_object_permissions(request, obj)
        permissions.require_second_factor(request.user, obj)

    def perform_update(self, serializer):
        organization = serializer.instance
        data = {k: v for k, v in serializer.validated_data.items() if k != "creator_role"}
        services.organization_update(organization=organization, actor=self.request.user, **data)


@scoped_list_schema
class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """Members of an organisation and their roles."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    queryset = Membership.objects.select_related("user", "organization").order_by("user__email")
    read_capability = Capability.VIEW_MEMBERS
    write_capability = Capability.MANAGE_MEMBERS

    def update_object(self, serializer, *, instance, data):
        return services.membership_change_role(
            membership=instance, actor=self.request.user, role=data.get("role", instance.role)
        )

    def destroy_object(self, *, instance):
        services.membership_remove(membership=instance, actor=self.request.user)


@scoped_list_schema
class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """Invitations by email; the link is emailed, never returned."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet
    queryset = Invitation.objects.select_related("organization", "invited_by").order_by(
        "-created_at"
    )
    read_capability = Capability.MANAGE_MEMBERS
    write_capability = Capability.MANAGE_MEMBERS

    def create_object(self, serializer, *, organization, data):
        invitation, _token = services.invitation_create(
            organization=organization,
            actor=self.request.user,
            email=data["email"],
            role=data["role"],
        )
        return invitation

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = self.get_object()
        services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(self.get_serializer(invitation).data, status=status.HTTP_200_OK)
