"""The organisation's identity provider through the API (its admins and consultants)."""

from rest_framework import exceptions, mixins

from itsms.models import IdentityProvider
from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from . import selectors, services
from .serializers import IdentityProviderSerializer


@scoped_list_schema
class IdentityProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """One per organisation. ``client_secret`` is write-only (stored encrypted); domains other
    than the caller's own email domain wait for the site admin's approval."""

    serializer_class = IdentityProviderSerializer
    queryset = IdentityProvider.objects.select_related("organization").prefetch_related("domains")
    read_capability = Capability.CHANGE_ORGANIZATION
    write_capability = Capability.CHANGE_ORGANIZATION
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _save(self, serializer, organization, instance=None):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        domains = data.pop("domains", None)
        if domains is None and instance is not None:
            domains = [d.domain for d in instance.domains.all()]
        secret = data.pop("client_secret", "")
        serializer.instance = services.identity_provider_save(
            organization=organization,
            actor=self.request.user,
            domains=domains or [],
            client_secret=secret,
            **data,
        )

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        if not permissions.can(self.request.user, self.write_capability, organization):
            raise exceptions.PermissionDenied()
        if selectors.provider_of(organization) is not None:
            raise exceptions.ValidationError(
                {"organization": ["This organisation has an identity provider: change it."]}
            )
        self._save(serializer, organization)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance.organization, serializer.instance)

    def perform_destroy(self, instance):
        services.identity_provider_delete(provider=instance, actor=self.request.user)
