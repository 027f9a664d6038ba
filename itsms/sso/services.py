"""Writes of single sign-on: an organisation's identity provider and its domains, the site
admin's approval of a domain, and the membership a first sign-in creates.

Keyword-only, atomic, validated with ``full_clean()``; each records who acted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itsms.models import IdentityProvider, Membership, Organization, SSODomain, User
from itsms.shared import crypto
from itsms.shared.history import save_recorded

from .domains import approved_on_adding, clean_domain_list, is_public

PROVIDER_FIELDS = (
    "protocol",
    "name",
    "enabled",
    "issuer_url",
    "client_id",
    "saml_metadata_url",
    "saml_metadata_xml",
    "groups_claim",
    "group_roles",
    "default_role",
    "password_sign_in_disabled",
)


@transaction.atomic
def identity_provider_save(
    *,
    organization: Organization,
    actor: User,
    domains: list[str],
    client_secret: str = "",
    **fields,
) -> IdentityProvider:
    """Create or change the organisation's identity provider and the domains it covers.

    A new ``client_secret`` replaces the stored one (encrypted); an empty one keeps it. A new
    domain is in force at once when it is ``actor``'s own; any other waits for the site admin.
    """
    provider = IdentityProvider.objects.filter(organization=organization).first()
    if provider is None:
        provider = IdentityProvider(
            organization=organization, key=IdentityProvider.key_for(organization)
        )
    for key in PROVIDER_FIELDS:
        if key in fields:
            setattr(provider, key, fields[key])
    if client_secret:
        provider.client_secret_encrypted = crypto.encrypt(client_secret)
    if provider.protocol == IdentityProvider.Protocol.OIDC and not provider.client_secret_encrypted:
        raise ValidationError({"client_secret": _("An OpenID Connect provider needs its secret.")})
    wanted = clean_domain_list(domains)
    if not wanted:
        raise ValidationError({"domains": _("Name at least one email domain.")})
    for domain in wanted:
        if is_public(domain):
            raise ValidationError(
                {
                    "domains": _(
                        "%(domain)s is a public mail service: its users belong to no one "
                        "organisation."
                    )
                    % {"domain": domain}
                }
            )
    taken = (
        SSODomain.objects.filter(domain__in=wanted)
        .exclude(organization=organization)
        .values_list("domain", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "domains": _("%(domains)s is covered by another organisation's provider.")
                % {"domains": ", ".join(sorted(taken))}
            }
        )
    save_recorded(provider, actor)
    existing = {d.domain: d for d in SSODomain.objects.filter(identity_provider=provider)}
    for domain, row in existing.items():
        if domain not in wanted:
            row._history_user = actor
            row.delete()
    for domain in wanted:
        if domain not in existing:
            save_recorded(
                SSODomain(
                    organization=organization,
                    identity_provider=provider,
                    domain=domain,
                    approved=approved_on_adding(domain, actor),
                ),
                actor,
            )
    return provider


@transaction.atomic
def identity_provider_delete(*, provider: IdentityProvider, actor: User) -> None:
    """Remove the provider: its users sign in with a password again (or ask for a reset)."""
    for domain in provider.domains.all():
        domain._history_user = actor
        domain.delete()
    provider._history_user = actor
    provider.delete()


@transaction.atomic
def domain_approve(*, domain: SSODomain, actor: User) -> SSODomain:
    """The site admin confirms the organisation may speak for ``domain``."""
    domain.approved = True
    return save_recorded(domain, actor)


@transaction.atomic
def sign_in_membership(
    *, provider: IdentityProvider, user: User, groups: list[str]
) -> Membership | None:
    """After a sign-in through ``provider``: give ``user`` the membership its groups map to, in
    the provider's own organisation only, when they have none there yet. An existing membership
    is left as the organisation's admins set it."""
    organization = provider.organization
    current = Membership.objects.filter(organization=organization, user=user).first()
    if current is not None:
        return current
    role = provider.role_for_groups(groups)
    if role is None:
        return None
    return save_recorded(Membership(organization=organization, user=user, role=role), user)
