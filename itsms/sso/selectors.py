"""Reads of single sign-on: which identity provider covers an address, and how allauth sees one.

allauth knows identity providers as ``SocialApp`` objects; ours are built in memory from
``IdentityProvider`` rows (``social_app``), so the client secret never leaves its encrypted
column for allauth's table.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from itsms.models import IdentityProvider, SSODomain
from itsms.shared import crypto

from .domains import domain_of

log = logging.getLogger("itsms.security")

ALLAUTH_PROVIDER = {
    IdentityProvider.Protocol.OIDC: "openid_connect",
    IdentityProvider.Protocol.SAML: "saml",
}
EMAIL_ATTRIBUTES = [
    "email",
    "mail",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]
NAME_ATTRIBUTES = ["name", "displayName", "urn:oid:2.16.840.1.113730.3.1.241"]


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled identity provider whose approved domains include ``email``'s, if any."""
    domain = domain_of(email)
    if not domain:
        return None
    found = (
        SSODomain.objects.filter(domain=domain, approved=True, identity_provider__enabled=True)
        .select_related("identity_provider__organization")
        .first()
    )
    return found.identity_provider if found else None


def provider_of(organization) -> IdentityProvider | None:
    """The organisation's identity provider (one at most), with its domains."""
    return (
        IdentityProvider.objects.filter(organization=organization)
        .prefetch_related("domains")
        .first()
    )


def covered_domains(provider: IdentityProvider) -> list[str]:
    return [d.domain for d in provider.domains.all() if d.approved]


def covers(provider: IdentityProvider, email: str) -> bool:
    """Does ``provider`` vouch for ``email`` (an approved domain of it)?"""
    return bool(email) and domain_of(email) in covered_domains(provider)


def provider_of_app(app) -> IdentityProvider | None:
    """The ``IdentityProvider`` behind an allauth app built by ``social_app``."""
    pk = (getattr(app, "settings", None) or {}).get("itsms_provider")
    if not pk:
        return None
    return (
        IdentityProvider.objects.select_related("organization")
        .prefetch_related("domains")
        .filter(pk=pk, enabled=True)
        .first()
    )


def _saml_idp_settings(provider: IdentityProvider) -> dict:
    if provider.saml_metadata_xml.strip():
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        parsed = OneLogin_Saml2_IdPMetadataParser.parse(provider.saml_metadata_xml)["idp"]
        return {
            "entity_id": parsed["entityId"],
            "x509cert": parsed.get("x509cert")
            or (parsed.get("x509certMulti", {}).get("signing") or [""])[0],
            "sso_url": parsed["singleSignOnService"]["url"],
        }
    return {"metadata_url": provider.saml_metadata_url, "entity_id": None}


def social_app(provider: IdentityProvider):
    """The allauth ``SocialApp`` (unsaved) that signs in through ``provider``."""
    from allauth.socialaccount.models import SocialApp

    domains = covered_domains(provider)
    common = {
        "itsms_provider": provider.pk,
        # The provider is the authority for its own domains, and for nothing else.
        "verified_email": domains,
        "email_authentication": True,
    }
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        return SocialApp(
            provider="openid_connect",
            provider_id=provider.key,
            name=provider.name,
            client_id=provider.client_id,
            secret=crypto.decrypt(provider.client_secret_encrypted),
            settings={**common, "server_url": provider.issuer_url, "oauth_pkce_enabled": True},
        )
    return SocialApp(
        provider="saml",
        provider_id=provider.key,
        name=provider.name,
        client_id=provider.key,
        settings={
            **common,
            "idp": _saml_idp_settings(provider),
            "attribute_mapping": {"email": EMAIL_ATTRIBUTES, "name": NAME_ATTRIBUTES},
            "advanced": {
                "strict": True,
                "want_assertion_signed": True,
                "reject_deprecated_algorithm": True,
                "allow_single_label_domains": True,
            },
        },
    )


def social_apps(*, provider=None, client_id=None) -> list:
    """allauth's view of our identity providers, narrowed as allauth asks: by its provider
    (``openid_connect``/``saml``) or our key, and by client id (SAML: our key)."""
    rows = IdentityProvider.objects.filter(enabled=True).prefetch_related("domains")
    if provider in ("openid_connect", "saml"):
        rows = rows.filter(protocol="oidc" if provider == "openid_connect" else "saml")
    elif provider:
        rows = rows.filter(key=provider)
    apps = [social_app(row) for row in rows]
    if client_id:
        apps = [app for app in apps if app.client_id == client_id]
    return apps


def groups_of(sociallogin, provider: IdentityProvider) -> list[str]:
    """The groups the IdP says the user is in (the configured claim or attribute)."""
    data = sociallogin.account.extra_data or {}
    claim = provider.groups_claim or "groups"
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        values = None
        for part in ("userinfo", "id_token"):
            if isinstance(data.get(part), dict) and claim in data[part]:
                values = data[part][claim]
                break
        if values is None:
            values = data.get(claim)
    else:
        values = data.get(claim)
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [str(v) for v in values]


def redirect_to_provider(request: HttpRequest, provider: IdentityProvider, next_url=None):
    """Send the browser to ``provider`` to sign in (the response to the sign-in form).

    Not a redirect: the sign-in page's Content-Security-Policy (``form-action 'self'``) stops a
    form whose answer redirects to another site. A page that goes on by itself (meta refresh,
    no script) hands over to the provider instead.
    """
    import requests
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.providers.base import AuthProcess
    from allauth.socialaccount.providers.oauth2.client import OAuth2Error
    from django.shortcuts import render

    allauth_provider = get_adapter(request).get_provider(request, provider.key)
    try:
        redirect = allauth_provider.redirect(request, process=AuthProcess.LOGIN, next_url=next_url)
    except (requests.RequestException, OAuth2Error, ValueError, KeyError):
        # Its discovery document or metadata cannot be fetched (down, unreachable, not JSON).
        log.warning("identity provider %s unreachable", provider.key)
        context = {"unreachable": True, "provider": provider}
        return render(request, "itsms/sso_refused.html", context, status=502)
    return render(
        request, "itsms/sso_handoff.html", {"url": redirect["Location"], "provider": provider}
    )


def sign_in_urls(request: HttpRequest, organization, provider=None) -> dict:
    """The addresses the organisation's admin registers at their IdP (known before the
    provider is saved: its key follows from the organisation)."""
    from django.urls import reverse

    key = provider.key if provider is not None else IdentityProvider.key_for(organization)
    return {
        "redirect_uri": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": key})
        ),
        "acs_url": request.build_absolute_uri(reverse("saml_acs", args=[key])),
        "metadata_url": request.build_absolute_uri(reverse("saml_metadata", args=[key])),
    }
