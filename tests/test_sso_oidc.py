"""Single sign-on with OpenID Connect against a real provider on loopback (oidc-provider-mock:
discovery, client registration, the authorisation page, the token endpoint checking our client
secret, signed ID tokens, userinfo). No mocked endpoint: the product talks HTTP to it."""

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from itsms.models import IdentityProvider, Membership, Role, User
from itsms.shared import crypto
from itsms.sso import services as sso_services

from .factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from .harness.idp import handoff_url, oidc_provider

pytestmark = pytest.mark.django_db

ZHAO = {
    "email": "zhao@ehbank.example",
    "email_verified": True,
    "name": "Zhao Lei",
    "groups": ["ITSM", "Staff"],
}


@pytest.fixture
def bank(db):
    return OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")


@pytest.fixture
def wang(bank):
    user = UserFactory(email="wang@ehbank.example", full_name="Wang Wei")
    MembershipFactory(organization=bank, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def idp():
    with oidc_provider(
        {
            "zhao": ZHAO,
            "stranger": {"email": "zhao@elsewhere.example", "email_verified": True},
            "viewer": {"email": "zhou@ehbank.example", "groups": ["Management"]},
        }
    ) as provider:
        yield provider


def connect(bank, wang, idp, **extra):
    key = IdentityProvider.key_for(bank)  # known before saving: the callback's address
    callback = f"http://testserver/accounts/oidc/{key}/login/callback/"
    client_id, secret = idp.register_client(callback)
    saved = sso_services.identity_provider_save(
        organization=bank,
        actor=wang,
        domains=["ehbank.example"],
        client_secret=secret,
        protocol="oidc",
        name="Eastern Harbour Bank sign-in",
        issuer_url=idp.issuer,
        client_id=client_id,
        group_roles=[["ITSM", Role.CONTRIBUTOR]],
        **extra,
    )
    assert saved.key == key
    return saved, secret


def sign_in_through(client, idp, email, sub):
    response = client.post(reverse("login"), {"username": email})
    authorize = handoff_url(response)
    assert authorize.startswith(idp.issuer + "/oauth2/authorize"), authorize
    back = urlsplit(idp.authorize(authorize, sub))
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")


def test_a_first_sign_in_creates_the_user_and_the_mapped_membership(client, bank, wang, idp):
    other = OrganizationFactory(name="Meridian Logistics", slug="meridian")
    connect(bank, wang, idp)
    response = sign_in_through(client, idp, "zhao@ehbank.example", "zhao")
    assert response.status_code == 302, response.content.decode()[:1000]
    zhao = User.objects.get(email="zhao@ehbank.example")
    assert zhao.full_name == "Zhao Lei" and not zhao.has_usable_password()
    assert client.session["_auth_user_id"] == str(zhao.pk)
    assert Membership.objects.get(user=zhao).organization == bank
    assert Membership.objects.get(user=zhao).role == Role.CONTRIBUTOR
    assert not Membership.objects.filter(user=zhao, organization=other).exists()
    assert SocialAccount.objects.get(user=zhao).uid == "zhao"


def test_the_client_secret_is_stored_encrypted_and_used(bank, wang, idp):
    provider, secret = connect(bank, wang, idp)
    assert secret not in provider.client_secret_encrypted
    assert crypto.decrypt(provider.client_secret_encrypted) == secret


def test_a_wrong_client_secret_is_refused_by_the_provider(client, bank, wang, idp):
    provider, _secret = connect(bank, wang, idp)
    provider.client_secret_encrypted = crypto.encrypt("not-the-secret")
    provider.save()
    response = sign_in_through(client, idp, "zhao@ehbank.example", "zhao")
    assert response.status_code == 400
    assert not User.objects.filter(email="zhao@ehbank.example").exists()


def test_an_address_the_provider_does_not_cover_is_refused(client, bank, wang, idp):
    connect(bank, wang, idp)
    response = sign_in_through(client, idp, "zhao@ehbank.example", "stranger")
    assert response.status_code == 403
    assert "not set up to vouch for that address" in response.content.decode()
    assert not User.objects.filter(email="zhao@elsewhere.example").exists()
    assert "_auth_user_id" not in client.session


def test_an_existing_account_signs_in_and_keeps_its_role(client, bank, wang, idp):
    connect(bank, wang, idp)
    zhou = UserFactory(email="zhou@ehbank.example")
    MembershipFactory(organization=bank, user=zhou, role=Role.VIEWER)
    response = sign_in_through(client, idp, "zhou@ehbank.example", "viewer")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(zhou.pk)
    assert Membership.objects.get(user=zhou).role == Role.VIEWER


def test_no_membership_when_no_group_maps_and_no_default(client, bank, wang, idp):
    connect(bank, wang, idp)
    idp.set_user("newcomer", {"email": "newcomer@ehbank.example", "groups": ["Canteen"]})
    response = sign_in_through(client, idp, "newcomer@ehbank.example", "newcomer")
    assert response.status_code == 302
    newcomer = User.objects.get(email="newcomer@ehbank.example")
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_account_of_another_company_cannot_be_taken_over(client, bank, wang, idp):
    """The bank's provider vouches for ehbank.example only: it cannot sign in Li."""
    li = UserFactory(email="li@northbridge.example")
    MembershipFactory(organization=bank, user=li, role=Role.CONSULTANT)
    connect(bank, wang, idp)
    idp.set_user("li", {"email": "li@northbridge.example", "email_verified": True})
    response = sign_in_through(client, idp, "zhao@ehbank.example", "li")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=li).exists()


def test_password_sign_in_can_be_turned_off_for_the_domain(client, bank, wang, idp):
    connect(bank, wang, idp, password_sign_in_disabled=True)
    zhou = UserFactory(email="zhou@ehbank.example")
    response = client.post(reverse("login"), {"username": zhou.email, "password": PASSWORD})
    assert handoff_url(response).startswith(idp.issuer), "sent to the IdP, not signed in"
    assert "_auth_user_id" not in client.session
    from rest_framework.test import APIClient

    token = APIClient().post(
        reverse("itsms-api:auth-token"), {"username": zhou.email, "password": PASSWORD}
    )
    assert token.status_code == 400, "no password sign-in through the API either"


def test_with_passwords_allowed_a_covered_user_may_still_use_one(client, bank, wang, idp):
    connect(bank, wang, idp)
    zhou = UserFactory(email="zhou@ehbank.example")
    response = client.post(reverse("login"), {"username": zhou.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(zhou.pk)


def test_a_domain_of_another_company_waits_for_the_site_admin(bank, wang, idp):
    provider, _ = connect(bank, wang, idp)
    provider = sso_services.identity_provider_save(
        organization=bank,
        actor=wang,
        domains=["ehbank.example", "northbridge.example"],
        protocol="oidc",
        name=provider.name,
        issuer_url=provider.issuer_url,
        client_id=provider.client_id,
    )
    states = {d.domain: d.approved for d in provider.domains.all()}
    assert states == {"ehbank.example": True, "northbridge.example": False}
    from itsms.sso.selectors import provider_for_email

    assert provider_for_email("li@northbridge.example") is None
    assert provider_for_email("ZHAO@EHBANK.EXAMPLE") == provider


def test_public_mail_domains_are_refused(bank, wang):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        sso_services.identity_provider_save(
            organization=bank,
            actor=wang,
            domains=["gmail.com"],
            client_secret="s",
            protocol="oidc",
            name="x",
            issuer_url="https://idp.example",
            client_id="c",
        )
    assert "public mail service" in str(caught.value)


def test_the_settings_page_configures_the_provider_and_never_shows_the_secret(client, bank, wang):
    client.force_login(wang)
    url = reverse("itsms:sso_settings", args=[bank.slug])
    data = {
        "protocol": "oidc",
        "name": "Eastern Harbour Bank sign-in",
        "enabled": "on",
        "issuer_url": "https://login.ehbank.example/realms/staff",
        "client_id": "itsms-workbench",
        "client_secret": "s3cr3t-value-from-the-idp",
        "domains": "ehbank.example\n",
        "groups_claim": "groups",
        "default_role": "",
        "password_sign_in_disabled": "on",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-0-group": "ITSM",
        "roles-0-role": "contributor",
        "roles-1-group": "",
        "roles-1-role": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    provider = IdentityProvider.objects.get(organization=bank)
    assert provider.group_roles == [["ITSM", "contributor"]]
    assert provider.password_sign_in_disabled
    page = client.get(url).content.decode()
    assert "s3cr3t-value-from-the-idp" not in page
    assert f"/accounts/oidc/{provider.key}/login/callback/" in page
    # Saving again without a secret keeps it.
    response = client.post(url, {**data, "client_secret": ""})
    provider.refresh_from_db()
    assert crypto.decrypt(provider.client_secret_encrypted) == "s3cr3t-value-from-the-idp"


def test_only_admins_and_consultants_configure_it(client, bank, wang):
    contributor = UserFactory(email="staff@ehbank.example")
    MembershipFactory(organization=bank, user=contributor, role=Role.CONTRIBUTOR)
    client.force_login(contributor)
    assert client.get(reverse("itsms:sso_settings", args=[bank.slug])).status_code == 403


def test_the_api_configures_the_provider_and_never_returns_the_secret(api_client, bank, wang):
    api_client.force_authenticate(wang)
    response = api_client.post(
        "/api/v1/identity-providers/",
        {
            "organization": bank.slug,
            "protocol": "oidc",
            "name": "Bank sign-in",
            "issuer_url": "https://login.ehbank.example",
            "client_id": "c1",
            "client_secret": "api-secret",
            "domains": ["ehbank.example"],
            "group_roles": [["ITSM", "contributor"]],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "client_secret" not in body and body["has_client_secret"] is True
    assert body["covered_domains"] == [{"domain": "ehbank.example", "approved": True}]
    listed = api_client.get(f"/api/v1/identity-providers/?organization={bank.slug}").json()
    assert "api-secret" not in str(listed)
    bad = api_client.post(
        "/api/v1/identity-providers/",
        {"organization": bank.slug, "protocol": "oidc", "name": "x", "domains": []},
        format="json",
    )
    assert bad.status_code == 400


def test_an_unreachable_provider_answers_a_clear_page_not_a_server_error(client, bank, wang):
    with oidc_provider({"zhao": ZHAO}) as idp:
        connect(bank, wang, idp, password_sign_in_disabled=True)
    # The provider is gone (down, or its address changed): nobody is signed in, and they are told.
    response = client.post(reverse("login"), {"username": "zhao@ehbank.example"})
    assert response.status_code == 502
    page = response.content.decode()
    assert 'data-testid="sso-unreachable"' in page and "Eastern Harbour Bank sign-in" in page
    assert "_auth_user_id" not in client.session
