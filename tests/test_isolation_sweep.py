"""The tenant-isolation sweep over every URL pattern and API route.

Organisation B holds one row of every tenant-owned model, each carrying the
marker "secretb". A consultant of organisation A (the role with the most
rights) then:

1. requests every tenant route with B's objects — under B's slug and under A's
   own slug — with every method the route accepts: each answers 404 and B's
   rows are unchanged;
2. requests every route (pages, API lists with ``?organization=alpha-bank``)
   with A's own objects: no response mentions the marker.

A route whose URL keyword the sweep does not know, or a route that is neither
tenant-scoped nor listed in GLOBAL_ROUTES with a reason, fails the sweep: a new
view is covered the day it is added.
"""

import pytest
from django.urls import reverse

from itsms.models import Invitation, Membership, Organization, Role, TenantModel

from .factories import UserFactory
from .harness.urls import all_routes
from .harness.world import BUILDERS, MARKER, plant, tenant_models

pytestmark = pytest.mark.django_db

#: Routes that are not tenant-owned, and why. Each still gets the "no marker" check.
GLOBAL_ROUTES = {
    "login": "sign-in form",
    "logout": "sign-out",
    "password_change": "the user's own password",
    "password_change_done": "static confirmation",
    "password_reset": "email-based reset, answers the same for any address",
    "password_reset_done": "static confirmation",
    "password_reset_confirm": "reached by Django's signed reset token",
    "password_reset_complete": "static confirmation",
    "set_language": "language preference",
    "schema": "OpenAPI schema (no data)",
    "api-docs": "Swagger UI (no data)",
    "itsms-api:auth-token": "exchanges the user's own credentials for a token",
    "itsms-api:api-root": "list of endpoints",
    "itsms-api:standard-list": "reference data shared by every organisation",
    "itsms-api:standard-detail": "reference data",
    "itsms-api:clause-list": "reference data",
    "itsms-api:clause-detail": "reference data",
    "itsms-api:organization-list": "the user's own organisations (checked for the marker)",
    "itsms:portfolio": "the user's own organisations (checked for the marker)",
    "itsms:search": "searches the user's own organisations (checked for the marker)",
    "itsms:organization_create": "creates a new organisation",
    "itsms:organization_slug": "proposes a slug for a name (no organisation's data)",
    "itsms:organization_switch": "switches among the user's own organisations",
    "itsms:organization_search": "the switcher: searches the user's own organisations",
    "itsms:invitation_accept": "reached by a secret single-use token (tests/test_invitations.py)",
    "itsms:account": "the user's own account",
    "itsms:session_end": "the user's own session (another's: 404, itsms/accounts/tests)",
    "itsms:sessions_end_others": "the user's own sessions",
    "itsms:api_token_create": "the user's own token",
    "itsms:api_token_revoke": "the user's own token",
    "itsms:api_tokens_revoke_all": "the user's own tokens",
    "itsms:standard_list": "reference data",
    "itsms:clauses": "reference data",
    "itsms:clause_tree": "reference data",
    "itsms:clause_detail": "reference data",
    "itsms:changes_2018": "reference data: what changed in the 2018 edition",
    "itsms:signing_key": "the product's public signing key (no data)",
    "itsms:verify_pack": "checks a ZIP the user uploads; stores and reads nothing",
    "processes:catalogue": "reference data: the clause-8 process catalogue",
    "audits:invitation_accept": "reached by a secret single-use token (audits/tests)",
    "certification:portfolio_calendar": "the user's own organisations (checked for the marker)",
    "certification:ical_feed": "reached by the user's secret feed token (certification/tests)",
    "certification:reminder_settings": "the user's own preferences",
    "certification:feed_create": "the user's own feed",
    "certification:feed_revoke": "the user's own feed",
    "processes-api:process-catalogue-list": "reference data",
    # django-allauth (itsms/accounts/urls.py): the user's own sign-in, password, second factors.
    "account_login": "sign-in form",
    "account_logout": "sign-out",
    "account_inactive": "static page",
    "account_signup": "answers that sign-up is closed",
    "account_reauthenticate": "the user's own password, again",
    "account_change_password": "the user's own password",
    "account_set_password": "the user's own password",
    "account_reset_password": "email-based reset, answers the same for any address",
    "account_reset_password_done": "static confirmation",
    "account_reset_password_from_key": "reached by allauth's signed reset key",
    "account_reset_password_from_key_done": "static confirmation",
    "mfa_index": "the user's own second factors",
    "mfa_authenticate": "the second step of the user's own sign-in",
    "mfa_reauthenticate": "the user's own second factor, again",
    "mfa_activate_totp": "the user's own authenticator app",
    "mfa_deactivate_totp": "the user's own authenticator app",
    "mfa_view_recovery_codes": "the user's own recovery codes",
    "mfa_generate_recovery_codes": "the user's own recovery codes",
    "mfa_download_recovery_codes": "the user's own recovery codes",
    "mfa_list_webauthn": "the user's own security keys",
    "mfa_add_webauthn": "the user's own security keys",
    "mfa_reauthenticate_webauthn": "the user's own security key, again",
    "mfa_remove_webauthn": "the user's own security key (allauth filters by user)",
    "mfa_edit_webauthn": "the user's own security key (allauth filters by user)",
    "mfa_login_webauthn": "passkey sign-in",
    "socialaccount_login_cancelled": "static page after a cancelled single sign-on",
    "socialaccount_login_error": "static page after a failed single sign-on",
    "openid_connect_login": "starts single sign-on with an identity provider (by its key)",
    "openid_connect_callback": "the identity provider's answer (OpenID Connect)",
    "saml_acs": "the identity provider's assertion (SAML)",
    "saml_finish_acs": "the identity provider's assertion (SAML)",
    "saml_sls": "single logout (SAML)",
    "saml_metadata": "the service provider's public SAML metadata",
    "saml_login": "starts single sign-on with an identity provider (by its key)",
    "processes-api:process-catalogue-detail": "reference data",
}

#: Values for keywords of global routes.
GLOBAL_KWARGS = {
    "code": "iso20000-1-2018",
    "number": "8.6.1",
    "token": "not-a-real-token",
    "uidb64": "MQ",
    "uidb36": "1",
    "key": "not-a-real-key",
    "session_id": 999999,
    "provider_id": "idp-unknown",
    "organization_slug": "idp-unknown",
    "pk": None,  # filled from the route's model (999999 when the route names none)
}

#: Query strings of routes that show nothing without one: the search pages and API are asked
#: for words every planted row carries, in A's and in B's organisation alike (A's own rows
#: are found, B's never: ``tests/test_search_isolation.py`` checks A's are there).
QUERY_STRINGS = {
    "itsms:search": "q=incident",
    "itsms:search_organization": "q=incident",
    "itsms-api:search-list": "q=incident",
}

PAYLOADS = {"PATCH": {"role": Role.VIEWER, "name": "hijacked"}, "PUT": {"name": "hijacked"}}


def sweep_routes():
    """Routes without their ``.json`` format-suffix twins and without Django's admin."""
    return [r for r in all_routes() if "format" not in r.kwargs and r.namespace != "admin"]


def is_tenant_route(route):
    model = route.model
    return "org_slug" in route.kwargs or (
        model is not None and (model is Organization or issubclass(model, TenantModel))
    )


def kwargs_for(route, org, objects):
    """Fill the route's keywords from ``org`` and its planted ``objects``."""
    values = {}
    for name in route.kwargs:
        if name == "org_slug":
            values[name] = org.slug
        elif name in ("pk", "slug") and route.model is Organization:
            values[name] = org.slug if name == "slug" else org.pk
        elif name == "pk" and route.model in objects:
            values[name] = objects[route.model].pk
        elif name in GLOBAL_KWARGS and not is_tenant_route(route):
            values[name] = GLOBAL_KWARGS[name]
            if name == "pk" and route.model is not None:
                values[name] = route.model._default_manager.order_by("pk").first().pk
            elif name == "pk":
                values[name] = 999999
        else:
            raise AssertionError(
                f"The isolation sweep does not know the URL keyword {name!r} of {route.name} "
                f"({route.route}). Teach tests/test_isolation_sweep.py::kwargs_for about it."
            )
    return values


def request(client, method, url, data=None):
    data = data or {}
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    if method in ("PATCH", "PUT"):
        return getattr(client, method.lower())(url, data, content_type="application/json")
    return client.post(url, data)


@pytest.fixture
def world(org_a, org_b, members):
    return {"a": plant(org_a, marker="alphaown"), "b": plant(org_b)}


def test_every_route_is_classified():
    unclassified = [
        f"{r.name} ({r.route})"
        for r in sweep_routes()
        if not is_tenant_route(r) and r.name not in GLOBAL_ROUTES
    ]
    assert not unclassified, (
        "Routes neither scoped to an organisation nor listed in GLOBAL_ROUTES: "
        + ", ".join(unclassified)
    )


def test_every_tenant_model_has_a_builder():
    missing = [m.__name__ for m in tenant_models() if m not in BUILDERS]
    assert not missing, f"Add builders to tests/harness/world.py for: {', '.join(missing)}"


def test_outsiders_get_404_on_every_tenant_route(client, org_a, org_b, world, consultant):
    client.force_login(consultant)
    before = {
        model: list(model.objects.filter(organization=org_b).values()) for model in tenant_models()
    }
    org_b_before = Organization.objects.filter(pk=org_b.pk).values().get()
    checked = []
    for route in sweep_routes():
        if not is_tenant_route(route) or not route.kwargs:
            continue  # lists: checked below by their filter, and by the marker sweep
        variants = [kwargs_for(route, org_b, world["b"])]
        if "org_slug" in route.kwargs and len(route.kwargs) > 1:
            # A's own slug with B's object: the object lookup must be scoped too.
            mixed = kwargs_for(route, org_b, world["b"])
            mixed["org_slug"] = org_a.slug
            variants.append(mixed)
        for kwargs in variants:
            url = reverse(route.name, kwargs=kwargs)
            for method in route.methods:
                response = request(client, method, url, PAYLOADS.get(method))
                assert response.status_code == 404, (
                    f"{method} {url} ({route.name}) answered {response.status_code}, not 404"
                )
                checked.append((route.name, method))
    # Lists named by a filter: B's slug in ?organization= answers 404 too.
    for route in sweep_routes():
        if route.is_drf and route.drf_action == "list" and is_tenant_route(route):
            if route.model is Organization:
                continue
            url = reverse(route.name) + f"?organization={org_b.slug}"
            response = client.get(url)
            assert response.status_code == 404, f"GET {url} answered {response.status_code}"
            checked.append((route.name, "GET list"))
    assert checked, "the sweep checked nothing"
    after = {
        model: list(model.objects.filter(organization=org_b).values()) for model in tenant_models()
    }
    assert after == before, "a request from organisation A changed organisation B's data"
    assert Organization.objects.filter(pk=org_b.pk).values().get() == org_b_before


@pytest.mark.parametrize("who", ["consultant", "viewer", "outsider"])
def test_no_response_mentions_another_organisations_data(client, org_a, world, members, who):
    user = UserFactory(email="outsider@alpha-free.example") if who == "outsider" else members[who]
    client.force_login(user)
    seen = 0
    for route in sweep_routes():
        if route.name in ("logout", "itsms-api:auth-token") or route.methods == ["POST"]:
            continue
        if "GET" not in route.methods:
            continue
        kwargs = kwargs_for(route, org_a, world["a"])
        url = reverse(route.name, kwargs=kwargs)
        if route.is_drf and route.drf_action == "list" and route.model is not Organization:
            url += f"?organization={org_a.slug}"
        if route.name in QUERY_STRINGS:
            url += ("&" if "?" in url else "?") + QUERY_STRINGS[route.name]
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"
        data = b"".join(response.streaming_content) if response.streaming else response.content
        body = data.decode("utf-8", "replace").lower()
        assert MARKER not in body, f"GET {url} ({route.name}) shows organisation B's data"
        if who == "outsider" and is_tenant_route(route) and route.kwargs:
            assert response.status_code == 404, f"outsider got {response.status_code} on {url}"
        seen += 1
    assert seen > 10


def test_api_lists_require_the_organization_filter(api_client, consultant, world):
    api_client.force_authenticate(consultant)
    for route in sweep_routes():
        if route.is_drf and route.drf_action == "list" and is_tenant_route(route):
            if route.model is Organization:
                continue
            response = api_client.get(reverse(route.name))
            assert response.status_code == 400, route.name
            assert "organization" in response.json()


def test_invitation_and_membership_rows_of_b_exist(world, org_b):
    """Guard against a sweep that passes because B was empty."""
    assert Membership.objects.filter(organization=org_b, user__email__startswith=MARKER).exists()
    assert Invitation.objects.filter(organization=org_b, email__startswith=MARKER).exists()
