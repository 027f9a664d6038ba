"""The organisation's identity provider through the API (its admins and consultants)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins

from itsms.models import IdentityProvider
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

    def _save(self, serializer, organization, data, instance=None):
        data = dict(data)
        data.pop("organization", None)
        domains = data.pop("domains", None)
        if domains is None and instance is not None:
            domains = [d.domain for d in instance.domains.all()]
        secret = data.pop("client_secret", "")
        return services.identity_provider_save(
            organization=organization,
            actor=self.request.user,
            domains=domains or [],
            client_secret=secret,
            **data,
        )

    def create_object(self, serializer, *, organization, data):
        # The checkpoint resolved the organisation and the role's "add" already.
        if selectors.provider_of(organization) is not None:
            raise exceptions.ValidationError(
                {"organization": [_("This organisation has an identity provider: change it.")]}
            )
        return self._save(serializer, organization, data)

    def update_object(self, serializer, *, instance, data):
        return self._save(serializer, instance.organization, data, instance)

    def destroy_object(self, *, instance):
        services.identity_provider_delete(provider=instance, actor=self.request.user)
