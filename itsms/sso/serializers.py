from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from itsms.models import IdentityProvider, Organization, Role
from itsms.shared.choices import TenantSerializerMixin


class DomainSerializer(serializers.Serializer):
    domain = serializers.CharField(read_only=True)
    approved = serializers.BooleanField(
        read_only=True, help_text=_("In force (own domain, or approved by the site admin).")
    )


class IdentityProviderSerializer(TenantSerializerMixin, serializers.ModelSerializer):
    """An organisation's identity provider. The client secret is write-only: stored encrypted,
    never returned (``has_client_secret`` says whether one is stored)."""

    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.none()
    )
    client_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, trim_whitespace=True
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253),
        write_only=True,
        help_text=_('Email domains it signs in, e.g. ["ehbank.example"].'),
    )
    covered_domains = DomainSerializer(source="domains", many=True, read_only=True)
    group_roles = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        required=False,
        help_text=_("Pairs [group, role]; the first group of the user that is listed decides."),
    )
    default_role = serializers.ChoiceField(
        choices=[("", "")] + list(Role.choices), required=False, allow_blank=True
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "id",
            "organization",
            "key",
            "protocol",
            "name",
            "enabled",
            "issuer_url",
            "client_id",
            "client_secret",
            "has_client_secret",
            "saml_metadata_url",
            "saml_metadata_xml",
            "domains",
            "covered_domains",
            "groups_claim",
            "group_roles",
            "default_role",
            "password_sign_in_disabled",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["key", "has_client_secret", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["organization"].read_only = True
            self.fields["domains"].required = False
