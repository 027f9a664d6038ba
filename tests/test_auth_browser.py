"""Sign-in in a real browser (Debian's Chromium through Playwright).

- Single sign-on end to end: the bank's admin connects its OpenID Connect provider on the
  settings page (a real provider on loopback, oidc-provider-mock), maps the group "ITSM" to the
  contributor role and turns password sign-in off; Zhao signs in through the provider and lands
  as a contributor; an address the provider does not cover is refused.
- WebAuthn: Chromium's virtual authenticator (CDP ``WebAuthn.addVirtualAuthenticator``)
  registers a security key on the account page, then signs in with it, as the second step and
  as a passkey without a password.
"""

import re

import pytest
from playwright.sync_api import expect

from itsms.models import IdentityProvider, Membership, Role, User

from .factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from .harness.idp import oidc_provider

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]


@pytest.fixture
def bank(db):
    return OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")


@pytest.fixture
def wang(bank):
    user = UserFactory(email="wang@ehbank.example", full_name="Wang Wei")
    MembershipFactory(organization=bank, user=user, role=Role.ADMIN)
    return user


def sign_in_with_password(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_single_sign_on_end_to_end_with_the_group_mapped_to_a_role(page, live_server, bank, wang):
    users = {
        "zhao": {
            "email": "zhao@ehbank.example",
            "email_verified": True,
            "name": "Zhao Lei",
            "groups": ["ITSM"],
        },
        "outsider": {"email": "someone@elsewhere.example", "email_verified": True},
    }
    with oidc_provider(users) as idp:
        sign_in_with_password(page, live_server, wang.email)
        page.goto(f"{live_server.url}/o/{bank.slug}/settings/")
        page.get_by_test_id("sso-link").click()
        redirect_uri = page.get_by_test_id("redirect-uri").inner_text()
        assert redirect_uri.startswith(live_server.url)
        client_id, secret = idp.register_client(redirect_uri)  # at the bank's IdP console

        form = page.get_by_test_id("sso-form")
        form.get_by_label("OpenID Connect").check()
        form.get_by_label("Name on the sign-in page").fill("Eastern Harbour Bank sign-in")
        form.get_by_label("Issuer URL").fill(idp.issuer)
        form.get_by_label("Client ID").fill(client_id)
        form.get_by_label("Client secret").fill(secret)
        form.get_by_label("Email domains it signs in").fill("ehbank.example")
        form.get_by_label("No password sign-in for these domains").check()
        roles = page.get_by_test_id("group-roles")
        roles.locator("input").first.fill("ITSM")
        roles.locator("select").first.select_option("contributor")
        form.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Single sign-on saved")
        expect(page.locator("#id_client_secret")).to_have_value("")  # never shown again
        provider = IdentityProvider.objects.get(organization=bank)
        assert secret not in provider.client_secret_encrypted
        page.get_by_role("button", name="Sign out").click()

        # Zhao, new here: the sign-in form sends his domain to the bank's provider.
        page.get_by_label("Email address").fill("zhao@ehbank.example")
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(idp.issuer) + "/oauth2/authorize"))
        page.locator("input[name=sub]").fill("zhao")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_test_id("portfolio")).to_contain_text("Eastern Harbour Bank")
        zhao = User.objects.get(email="zhao@ehbank.example")
        assert Membership.objects.get(user=zhao).role == Role.CONTRIBUTOR
        expect(page.get_by_test_id("portfolio")).to_contain_text("Contributor")
        page.get_by_role("button", name="Sign out").click()

        # Someone whose address the bank's provider does not cover is refused.
        page.get_by_label("Email address").fill("zhao@ehbank.example")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.locator("input[name=sub]").fill("outsider")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_test_id("sso-refused")).to_contain_text("someone@elsewhere.example")
        assert not User.objects.filter(email="someone@elsewhere.example").exists()


def virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_a_security_key_is_registered_and_signs_in(page, live_server, wang):
    cdp, authenticator = virtual_authenticator(page)
    sign_in_with_password(page, live_server, wang.email)
    page.goto(f"{live_server.url}/account/")
    page.get_by_test_id("manage-mfa").click()
    page.get_by_test_id("add-key").click()
    page.get_by_label("Name").fill("Wang's laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    page.get_by_role("button", name="Sign out").click()

    # The password, then the key as the second step.
    page.get_by_label("Email address").fill(wang.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_test_id("portfolio")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # A passkey alone.
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_test_id("portfolio")).to_be_visible()
    expect(page.locator(".usermenu")).to_contain_text("Wang Wei")
