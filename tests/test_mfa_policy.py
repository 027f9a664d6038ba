"""Organisations may require a second factor: set by an admin or consultant (page and API);
whoever reaches the organisation without one is taken to set-up on the next request, on every
page and every API route (generated from the URL configuration, as the isolation sweep is);
the members page shows who has one; the portfolio shows which clients require it."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from itsms.models import Organization, Role

from .factories import PASSWORD
from .harness.world import plant
from .test_isolation_sweep import is_tenant_route, kwargs_for, sweep_routes

pytestmark = pytest.mark.django_db


def require(org):
    Organization.objects.filter(pk=org.pk).update(require_mfa=True)
    org.refresh_from_db()


def give_totp(user):
    return TOTP.activate(user, generate_totp_secret())


def test_an_admin_turns_the_policy_on_in_the_settings(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    give_totp(members[Role.ADMIN])
    response = client.post(
        reverse("itsms:organization_edit", args=[org_a.slug]),
        {
            "name": org_a.name,
            "time_zone": org_a.time_zone,
            "language": "en",
            "scope": "",
            "require_mfa": "on",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.require_mfa
    assert org_a.history.first().require_mfa, "the change is recorded with who made it"


def test_a_member_without_a_second_factor_is_taken_to_set_up(client, org_a, members):
    require(org_a)
    contributor = members[Role.CONTRIBUTOR]
    client.force_login(contributor)
    url = reverse("itsms:my_work", args=[org_a.slug])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Alpha Bank requires a second factor" in page
    give_totp(contributor)
    assert client.get(url).status_code == 200


def test_every_organisation_page_sends_to_set_up(client, org_a, members):
    """Every route under /o/<slug>/, with A's own objects: nothing opens without the factor."""
    objects = plant(org_a, marker="alphaown")
    require(org_a)
    client.force_login(members[Role.CONSULTANT])
    checked = 0
    for route in sweep_routes():
        if "org_slug" not in route.kwargs or route.is_drf or "GET" not in route.methods:
            continue
        url = reverse(route.name, kwargs=kwargs_for(route, org_a, objects))
        response = client.get(url)
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        assert response["Location"] == reverse("mfa_index"), url
        checked += 1
    assert checked > 30


def test_every_api_route_of_the_organisation_answers_mfa_required(api_client, org_a, members):
    objects = plant(org_a, marker="alphaown")
    require(org_a)
    api_client.force_authenticate(members[Role.CONSULTANT])
    checked, invisible = 0, []
    for route in sweep_routes():
        if not route.is_drf or not is_tenant_route(route) or "GET" not in route.methods:
            continue
        if route.drf_action == "list":
            if route.model is Organization:
                continue
            url = reverse(route.name) + f"?organization={org_a.slug}"
        else:
            url = reverse(route.name, kwargs=kwargs_for(route, org_a, objects))
        response = api_client.get(url)
        if response.status_code == 404:
            invisible.append(url)  # not this user's at all (someone else's notification)
            continue
        assert response.status_code == 403, f"GET {url} answered {response.status_code}"
        assert response.json()["code"] == "mfa_required", url
        assert "requires a second factor" in response.json()["detail"], url
        checked += 1
    assert checked > 20
    # Writes too.
    response = api_client.patch(
        reverse("itsms-api:organization-detail", args=[org_a.slug]),
        {"name": "Renamed"},
        format="json",
    )
    assert response.status_code == 403
    give_totp(members[Role.CONSULTANT])
    members[Role.CONSULTANT].__dict__.pop("_has_second_factor", None)
    assert api_client.get(f"/api/v1/memberships/?organization={org_a.slug}").status_code == 200
    for url in invisible:  # still 404 with the factor: never the user's to see
        assert api_client.get(url).status_code == 404, url


def test_the_policy_holds_for_one_organisation_only(client, org_a, org_b, members):
    """Li's other clients open as before."""
    from .factories import MembershipFactory

    consultant = members[Role.CONSULTANT]
    MembershipFactory(organization=org_b, user=consultant, role=Role.CONSULTANT)
    require(org_a)
    client.force_login(consultant)
    assert client.get(reverse("itsms:organization_detail", args=[org_b.slug])).status_code == 200
    assert client.get(reverse("itsms:organization_detail", args=[org_a.slug])).status_code == 302


def test_the_api_sets_the_policy(api_client, org_a, members):
    api_client.force_authenticate(members[Role.VIEWER])
    url = reverse("itsms-api:organization-detail", args=[org_a.slug])
    assert api_client.patch(url, {"require_mfa": True}, format="json").status_code == 403
    api_client.force_authenticate(members[Role.ADMIN])
    response = api_client.patch(url, {"require_mfa": True}, format="json")
    assert response.status_code == 200 and response.json()["require_mfa"] is True
    org_a.refresh_from_db()
    assert org_a.require_mfa


def test_the_members_page_shows_who_has_a_second_factor(client, org_a, members):
    give_totp(members[Role.ADMIN])
    client.force_login(members[Role.VIEWER])
    page = client.get(reverse("itsms:member_list", args=[org_a.slug])).content.decode()

    def row(email):
        return next(r for r in page.split("<tr") if f"<td>{email}</td>" in r)

    assert 'data-testid="mfa"><span class="badge status-approved">' in row("admin@alpha.example")
    assert "status-approved" not in row("viewer@alpha.example")


def test_the_portfolio_shows_which_clients_require_it(client, org_a, org_b, members):
    from .factories import MembershipFactory

    consultant = members[Role.CONSULTANT]
    MembershipFactory(organization=org_b, user=consultant, role=Role.CONSULTANT)
    require(org_a)
    client.force_login(consultant)
    page = client.get(reverse("itsms:portfolio")).content.decode()
    alpha = page.split(">Alpha Bank</a>")[1].split("</tr>")[0]
    other = page.split(">SECRETB Harbour</a>")[1].split("</tr>")[0]
    assert "MFA required" in alpha and "MFA required" not in other


def test_the_last_factor_cannot_be_removed_while_required(client, org_a, members):
    require(org_a)
    user = members[Role.CONTRIBUTOR]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=user, type="totp").exists(), response.status_code


def test_signing_in_without_the_required_factor_leads_to_set_up_then_to_my_work(
    client, org_a, members
):
    require(org_a)
    user = members[Role.CONTRIBUTOR]
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    import re

    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page).group(1)
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    my_work = reverse("itsms:my_work", args=[org_a.slug])
    assert f'href="{my_work}"' in codes_page, "the codes page continues to the member's work"
    assert client.get(my_work).status_code == 200


def test_an_api_token_needs_a_second_factor_step_when_an_organisation_requires_one(
    client, org_a, members
):
    from itsms.models import ApiToken

    require(org_a)
    user = members[Role.CONTRIBUTOR]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    # Right after the second step: allowed.
    new = {"name": "reporting script", "expires_in_days": 30}
    assert client.post(reverse("itsms:api_token_create"), new).status_code == 302
    assert ApiToken.objects.filter(user=user, name="reporting script").exists()
    ApiToken.objects.filter(user=user).delete()
    # Later on (the step is older than the re-authentication window): confirm it again.
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= 3600
    session["account_authentication_methods"] = records
    session.save()
    response = client.post(reverse("itsms:api_token_create"), new)
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.filter(user=user).exists()


def test_without_the_required_factor_no_token_is_made(client, org_a, members):
    from rest_framework.test import APIClient

    from itsms.models import ApiToken

    require(org_a)
    user = members[Role.VIEWER]
    client.force_login(user)
    response = client.post(reverse("itsms:api_token_create"), {"name": "script"})
    assert response["Location"] == reverse("mfa_index")
    exchanged = APIClient().post(
        reverse("itsms-api:auth-token"), {"username": user.email, "password": PASSWORD}
    )
    assert exchanged.status_code == 403
    assert not ApiToken.objects.filter(user=user).exists()
