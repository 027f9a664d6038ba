"""Real identity providers for the tests, on loopback.

- ``oidc_provider()``: oidc-provider-mock (authlib), a real OpenID Connect provider: discovery,
  client registration, the authorisation form, the token endpoint (client secret checked), signed
  ID tokens, userinfo. Our product talks to it over HTTP exactly as to a bank's provider.
- ``SamlIdP``: pysaml2's IdP server with a fresh key and certificate; it parses our SAML
  requests and signs real assertions (with Debian's xmlsec1).
"""

from __future__ import annotations

import base64
import datetime
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import requests

XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def handoff_url(response) -> str:
    """Where the sign-in form's answer hands the browser over to the identity provider."""
    import html
    import re

    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    match = re.search(r'href="([^"]+)" data-testid="sso-continue"', page)
    assert match, "no hand-over to the identity provider"
    url = html.unescape(match.group(1))
    assert f'content="0; url={match.group(1)}"' in page, "the page goes on by itself"
    return url


@contextmanager
def oidc_provider(users: dict[str, dict]):
    """A running OpenID Connect provider; ``users`` maps a subject to its claims."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_client_registration=True, require_nonce=False) as server:
        base = f"http://localhost:{server.server_port}"
        provider = OIDCProvider(base)
        for sub, claims in users.items():
            provider.set_user(sub, claims)
        yield provider


class OIDCProvider:
    def __init__(self, base: str):
        self.issuer = base

    def set_user(self, sub: str, claims: dict) -> None:
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()

    def register_client(self, redirect_uri: str) -> tuple[str, str]:
        response = requests.post(
            f"{self.issuer}/oauth2/clients",
            json={
                "redirect_uris": [redirect_uri],
                "token_endpoint_auth_method": "client_secret_post",
            },
            timeout=10,
        )
        response.raise_for_status()
        data = response.json()
        return data["client_id"], data["client_secret"]

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What a person does at the IdP's page: choose who signs in. Returns the redirect back
        to the product (with the authorisation code)."""
        response = requests.post(
            authorize_url, data={"sub": sub}, timeout=10, allow_redirects=False
        )
        assert response.status_code == 302, response.text[:500]
        return response.headers["location"]


def self_signed_certificate(common_name: str) -> tuple[bytes, bytes]:
    """A fresh RSA key and self-signed certificate (PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


class SamlIdP:
    """pysaml2's identity provider, configured with the product's service-provider metadata."""

    ENTITY_ID = "https://idp.ehbank.example/saml/metadata"
    SSO_URL = "https://idp.ehbank.example/saml/sso"

    def __init__(self):
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.server import Server

        self.folder = Path(tempfile.mkdtemp(prefix="itsms-saml-idp-"))
        key_pem, cert_pem = self_signed_certificate("idp.ehbank.example")
        (self.folder / "idp.key").write_bytes(key_pem)
        (self.folder / "idp.crt").write_bytes(cert_pem)
        config = IdPConfig()
        config.load(
            {
                "entityid": self.ENTITY_ID,
                "xmlsec_binary": XMLSEC1,
                "key_file": str(self.folder / "idp.key"),
                "cert_file": str(self.folder / "idp.crt"),
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (self.SSO_URL, BINDING_HTTP_REDIRECT),
                                (self.SSO_URL, BINDING_HTTP_POST),
                            ]
                        },
                        "name_id_format": [
                            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
                        ],
                        "policy": {
                            "default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}
                        },
                        "sign_response": True,
                        "sign_assertion": True,
                    }
                },
            }
        )
        self.server = Server(config=config)
        self.binding_redirect = BINDING_HTTP_REDIRECT

    def trust(self, sp_metadata_xml: str) -> None:
        """Know the product as a service provider (its published metadata)."""
        from saml2.mdstore import MetadataStore

        if self.server.metadata is None:
            config = self.server.config
            store = MetadataStore(config.attribute_converters, config)
            self.server.metadata = config.metadata = store
        self.server.metadata.load("inline", sp_metadata_xml)

    def metadata_xml(self) -> str:
        from saml2.metadata import create_metadata_string

        return create_metadata_string(None, config=self.server.config, valid=24).decode()

    def answer(self, saml_request: str, *, email: str, groups=(), name="") -> str:
        """Parse the product's AuthnRequest and sign a real response for ``email``; returns
        the base64 SAMLResponse the browser posts back."""
        from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAMEID_FORMAT_EMAILADDRESS, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        request = self.server.parse_authn_request(saml_request, self.binding_redirect)
        message = request.message
        identity = {"mail": [email], "groups": list(groups)}
        if name:
            identity["displayName"] = [name]
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            sign_response=True,
            sign_assertion=True,
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": self.ENTITY_ID},
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()
