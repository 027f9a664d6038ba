"""Single sign-on with SAML 2.0 against a real IdP (pysaml2's, signing with xmlsec1): the
product's AuthnRequest is parsed by the IdP, which signs a real assertion; a tampered or an
expired assertion is refused."""

import base64
import shutil
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from itsms.models import Membership, Role, User
from itsms.sso import services as sso_services

from .conftest import need_service
from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .harness.idp import SamlIdP, handoff_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def xmlsec_available():
    need_service(bool(shutil.which("xmlsec1")), "xmlsec1 (Debian package xmlsec1)")


@pytest.fixture
def bank(db):
    return OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")


@pytest.fixture
def saml(bank, client, xmlsec_available):
    """The bank's SAML provider connected by its admin, and the IdP trusting the product."""
    client.defaults["HTTP_HOST"] = "testserver"  # as every browser sends it
    wang = UserFactory(email="wang@ehbank.example")
    MembershipFactory(organization=bank, user=wang, role=Role.ADMIN)
    idp = SamlIdP()
    provider = sso_services.identity_provider_save(
        organization=bank,
        actor=wang,
        domains=["ehbank.example"],
        protocol="saml",
        name="Eastern Harbour Bank sign-in",
        saml_metadata_xml=idp.metadata_xml(),
        groups_claim="groups",
        group_roles=[["ITSM", Role.CONTRIBUTOR]],
    )
    sp_metadata = client.get(reverse("saml_metadata", args=[provider.key]))
    assert sp_metadata.status_code == 200
    idp.trust(sp_metadata.content.decode())
    return provider, idp


def start(client, email="zhao@ehbank.example"):
    """The sign-in form sends a covered address to the IdP with a SAML request."""
    response = client.post(reverse("login"), {"username": email})
    location = urlsplit(handoff_url(response))
    assert f"{location.scheme}://{location.netloc}{location.path}" == SamlIdP.SSO_URL
    query = parse_qs(location.query)
    return query["SAMLRequest"][0], query.get("RelayState", [""])[0]


def post_back(client, provider, saml_response, relay_state):
    acs = client.post(
        reverse("saml_acs", args=[provider.key]),
        {"SAMLResponse": saml_response, "RelayState": relay_state},
    )
    assert acs.status_code == 302  # on to the finish step, with the session cookie
    return client.get(acs["Location"])


def test_a_signed_assertion_signs_in_and_creates_the_membership(client, bank, saml):
    provider, idp = saml
    request, relay = start(client)
    response = idp.answer(request, email="zhao@ehbank.example", groups=["ITSM"], name="Zhao Lei")
    finished = post_back(client, provider, response, relay)
    assert finished.status_code == 302, finished.content.decode()[:2000]
    zhao = User.objects.get(email="zhao@ehbank.example")
    assert client.session["_auth_user_id"] == str(zhao.pk)
    assert Membership.objects.get(user=zhao, organization=bank).role == Role.CONTRIBUTOR


def test_a_tampered_assertion_is_refused(client, bank, saml):
    provider, idp = saml
    request, relay = start(client)
    signed = base64.b64decode(idp.answer(request, email="zhao@ehbank.example", groups=["ITSM"]))
    tampered = signed.replace(b"zhao@ehbank.example", b"wang@ehbank.example")
    assert tampered != signed
    finished = post_back(client, provider, base64.b64encode(tampered).decode(), relay)
    assert finished.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="zhao@ehbank.example").exists()


def test_an_expired_assertion_is_refused(client, bank, saml, monkeypatch):
    provider, idp = saml
    request, relay = start(client)
    response = idp.answer(request, email="zhao@ehbank.example", groups=["ITSM"])
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    later = time.time() + 3600  # it reaches the product an hour late (lifetime: 5 minutes)
    monkeypatch.setattr(OneLogin_Saml2_Utils, "now", staticmethod(lambda: int(later)))
    finished = post_back(client, provider, response, relay)
    assert finished.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_assertion_for_an_uncovered_address_is_refused(client, bank, saml):
    provider, idp = saml
    request, relay = start(client)
    response = idp.answer(request, email="li@northbridge.example", groups=["ITSM"])
    finished = post_back(client, provider, response, relay)
    assert finished.status_code == 403
    assert not User.objects.filter(email="li@northbridge.example").exists()


def test_an_assertion_signed_by_another_key_is_refused(client, bank, saml):
    provider, _idp = saml
    request, relay = start(client)
    impostor = SamlIdP()  # same entity ID and endpoints, its own key
    impostor.trust(client.get(reverse("saml_metadata", args=[provider.key])).content.decode())
    response = impostor.answer(request, email="zhao@ehbank.example", groups=["ITSM"])
    finished = post_back(client, provider, response, relay)
    assert finished.status_code == 400
    assert "_auth_user_id" not in client.session
