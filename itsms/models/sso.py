"""Single sign-on: an organisation's identity provider (OpenID Connect or SAML 2.0) and the email
domains it vouches for. How a sign-in uses them: ``itsms.sso``."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenancy import Role, TenantModel

DOMAIN_VALIDATOR = RegexValidator(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a domain such as ehbank.example (no @, no spaces)."),
)


def new_provider_key() -> str:
    return "idp-" + secrets.token_hex(5)


class IdentityProvider(TenantModel):
    """The organisation's identity provider: who may sign in through it, and as what.

    ``key`` names it in the sign-in addresses (the OpenID Connect redirect URI, the SAML
    assertion consumer service); it never changes, so the addresses registered at the IdP keep
    working when the organisation's slug changes. The client secret is stored encrypted
    (``itsms.shared.crypto``) and never shown again.
    """

    #: ``itsms.archive``: the client secret is encrypted with this instance's keys and the
    #: provider has registered this instance's addresses; an admin connects it anew on the
    #: instance an archive is imported into.
    archive_excluded = "single sign-on is configured per instance (encrypted secret, redirect)"

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    key = models.CharField(max_length=20, unique=True, editable=False, default=new_provider_key)
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    name = models.CharField(
        _("name on the sign-in page"),
        max_length=100,
        help_text=_("For example “Eastern Harbour Bank sign-in”."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # OpenID Connect
    issuer_url = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_("The address its discovery document lives under (…/.well-known/…)."),
    )
    client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    # SAML 2.0
    saml_metadata_url = models.URLField(_("IdP metadata URL"), blank=True)
    saml_metadata_xml = models.TextField(
        _("IdP metadata (XML)"),
        blank=True,
        help_text=_("Paste the metadata document when the IdP publishes no URL."),
    )
    # Who is who
    groups_claim = models.CharField(
        _("groups claim"),
        max_length=200,
        default="groups",
        help_text=_("The claim (OpenID Connect) or attribute (SAML) that lists a user's groups."),
    )
    group_roles = models.JSONField(
        _("groups and roles"),
        default=list,
        blank=True,
        help_text=_("Pairs [group, role]: the first group of the user that is listed decides."),
    )
    default_role = models.CharField(
        _("role when no group matches"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Leave empty to give no membership to someone whose groups are not listed."),
    )
    password_sign_in_disabled = models.BooleanField(
        _("no password sign-in for these domains"),
        default=False,
        help_text=_("Users of the domains below can then only sign in through the IdP."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["client_secret_encrypted"])

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="identity_provider_one_per_org"),
            models.CheckConstraint(
                condition=models.Q(protocol__in=["oidc", "saml"]),
                name="identity_provider_protocol_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_protocol_display()})"

    @staticmethod
    def key_for(organization) -> str:
        """The key an organisation's provider gets: known before it is saved (the admin
        registers the redirect address at the IdP first), not guessable from the slug."""
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:idp:{organization.pk}".encode())
        return "idp-" + digest.hexdigest()[:10]

    @property
    def has_client_secret(self) -> bool:
        return bool(self.client_secret_encrypted)

    def role_for_groups(self, groups) -> str | None:
        """The role this IdP grants someone in ``groups``: the first listed pair whose group
        they are in, else the default role (None: no membership)."""
        mine = {str(g) for g in (groups or [])}
        for group, role in self.group_roles or []:
            if group in mine and role in Role.values:
                return role
        return self.default_role or None

    def clean(self):
        errors = {}
        if self.protocol == self.Protocol.OIDC:
            if not self.issuer_url:
                errors["issuer_url"] = _("An OpenID Connect provider needs its issuer URL.")
            if not self.client_id:
                errors["client_id"] = _("An OpenID Connect provider needs a client ID.")
        elif (
            self.protocol == self.Protocol.SAML
            and not self.saml_metadata_url
            and not self.saml_metadata_xml.strip()
        ):
            errors["saml_metadata_url"] = _(
                "A SAML provider needs its metadata: a URL or the XML document."
            )
        for pair in self.group_roles or []:
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or not str(pair[0]).strip()
                or pair[1] not in Role.values
            ):
                errors["group_roles"] = _("Each row needs a group name and a role.")
                break
        if errors:
            raise ValidationError(errors)


class SSODomain(TenantModel):
    """An email domain an identity provider vouches for. One provider per domain.

    A domain is in force once approved: at once when it is the domain of the admin who adds it,
    otherwise when the site admin approves it (``/admin/``) — an organisation must not claim
    another company's users. Public mail domains are refused (``itsms.sso.domains``).
    """

    archive_excluded = "follows its identity provider, configured per instance"

    identity_provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    domain = models.CharField(_("domain"), max_length=253, validators=[DOMAIN_VALIDATOR])
    approved = models.BooleanField(_("approved"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("single sign-on domain")
        verbose_name_plural = _("single sign-on domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="sso_domain_unique"),
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = (self.domain or "").strip().lower()
        super().save(*args, **kwargs)
