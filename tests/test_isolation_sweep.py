"""The tenant-isolation sweep over every URL pattern and API route.

Organisation B holds one row of every tenant-owned model, each carrying the marker "secretb";
A holds one of each too, marked "alphaown". A consultant of organisation A (the role with the
most rights) then:

1. requests every tenant route with B's objects — under B's slug and under A's own slug —
   with every method the route accepts: each answers 404 and B's rows are unchanged;
2. requests every route (pages, API lists with ``?organization=alpha-bank``, the API with a
   real token of A) with A's own objects: no response mentions B's marker — PDFs read through
   ``pdftotext``, not as compressed bytes — and A's own rows **do** appear in A's lists and
   PDFs (a sweep must not pass by showing nothing);
3. POSTs every create route with B's slug and with B's foreign-key ids (404 or 400, nothing
   created), and every write of A with B's ids: no row of A ends up linked to a row of B.

A route whose URL keyword the sweep does not know, or a route that is neither tenant-scoped
nor listed in GLOBAL_ROUTES with a reason, fails the sweep: a new view is covered the day it
is added.
"""

import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from itsms.accounts.tokens import api_token_create
from itsms.models import Invitation, Membership, Organization, Role, TenantModel

from .conftest import need_service
from .factories import UserFactory
from .harness.urls import all_routes
from .harness.world import BUILDERS, MARKER, plant, tenant_models

OWN_MARKER = "alphaown"

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
    return {"a": plant(org_a, marker=OWN_MARKER), "b": plant(org_b)}


def pdf_text(content: bytes) -> str:
    """The text of a PDF (its streams are compressed: the raw bytes show no marker)."""
    need_service(bool(shutil.which("pdftotext")), "pdftotext (poppler-utils)")
    result = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def body_text(response) -> str:
    """What a person would read in the response, lower-cased: a PDF's text, a page's HTML."""
    content = getattr(response, "streaming_content", None)
    raw = b"".join(content) if content is not None else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(raw).lower()
    return raw.decode("utf-8", "replace").lower()


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


#: Lists and PDFs of A that need not show A's planted rows, and why.
NOT_SHOWING_OWN = {
    "itsms-api:readiness-list": "percentages of the gap assessment, no rows",
    "itsms-api:notification-list": "each user reads only their own notifications",
    "itsms:notification_list": "each user reads only their own notifications",
    "itsms:notification_unread": "each user's own unread count",
    "itsms-api:organization-list": "checked by slug below",
    "itsms:organization_detail": "the organisation's own page: its details, no rows",
    "itsms:organization_edit": "a form",
    "audits:body_create": "a form",
    "certification:body_create": "a form",
    "itsms:my_work": "the consultant is assigned nothing in the planted world",
    "itsms:dashboard": "aggregates: its lists name clauses (tests/test_assessment.py)",
    "audits:programme": "internal audits only; A's planted audit is a stage 2 audit",
    "itsms:assessment_workbook": "an XLSX file (read in tests/test_assessment_import.py)",
    "itsms:assessment_import": "an upload form",
    "sms:overview": "counts per register, no rows",
    "sms:settings": "a form (the risk scale)",
    "sms:risk_heatmap": "counts per cell; the rows are on sms:risk_list",
    "itsms-api:search-list": "hits, not rows (A's own finds: tests/test_search_isolation.py)",
    "itsms:organization_archive": "the archives asked for: a date and a state, no marker",
}
#: Lists and PDFs of A that show A by something other than the marker.
OWN_TEXT = {
    "itsms:readiness_report": lambda org: org.name,  # percentages per clause of A
    "certification:calendar": lambda org: org.name,  # "Alpha Bank: surveillance audit 1 due"
}


def _listed_ids(payload) -> set:
    rows = payload.get("results", payload) if isinstance(payload, dict) else payload
    return {row.get("id", row.get("slug")) for row in rows if isinstance(row, dict)}


@pytest.mark.parametrize("who", ["consultant", "viewer", "outsider"])
def test_no_response_mentions_another_organisations_data(client, org_a, world, members, who):
    user = UserFactory(email="outsider@alpha-free.example") if who == "outsider" else members[who]
    client.force_login(user)
    api = APIClient()  # the API with a real token, as a script of A would call it
    _token, key = api_token_create(user=user, name="sweep")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    seen, pdfs, own_missing = 0, [], []
    for route in sweep_routes():
        if route.name in ("logout", "itsms-api:auth-token") or route.methods == ["POST"]:
            continue
        if "GET" not in route.methods:
            continue
        kwargs = kwargs_for(route, org_a, world["a"])
        url = reverse(route.name, kwargs=kwargs)
        is_list = route.is_drf and route.drf_action == "list" and route.model is not Organization
        if is_list:
            url += f"?organization={org_a.slug}"
        if route.name in QUERY_STRINGS:
            url += ("&" if "?" in url else "?") + QUERY_STRINGS[route.name]
        response = (api if route.is_drf else client).get(url)
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"
        body = body_text(response)
        assert MARKER not in body, f"GET {url} ({route.name}) shows organisation B's data"
        if response.get("Content-Type", "").startswith("application/pdf"):
            pdfs.append(route.name)
        if who == "outsider" and is_tenant_route(route) and route.kwargs:
            assert response.status_code == 404, f"outsider got {response.status_code} on {url}"
        if who == "consultant" and response.status_code == 200:
            own_missing += _own_rows_missing(route, response, body, org_a, world)
        seen += 1
    assert seen > 10
    if who == "consultant":
        assert not own_missing, "A's own rows missing from A's lists and PDFs: " + "; ".join(
            own_missing
        )
        assert {"itsms:readiness_report", "audits:audit_report"} <= set(pdfs), pdfs


def _own_rows_missing(route, response, body, org_a, world) -> list[str]:
    """A's planted row of the route's model must be in A's list; a page list and a PDF of A
    must show A's marker."""
    if route.name in NOT_SHOWING_OWN:
        return []
    if route.is_drf and route.drf_action == "list" and is_tenant_route(route):
        if route.model is Organization:
            return [] if org_a.slug in _listed_ids(response.json()) else [route.name]
        planted = world["a"].get(route.model)
        if planted is not None and planted.pk not in _listed_ids(response.json()):
            return [f"{route.name} lacks {route.model.__name__} {planted.pk}"]
        return []
    is_page_list = not route.is_drf and "org_slug" in route.kwargs and len(route.kwargs) == 1
    is_pdf = response.get("Content-Type", "").startswith("application/pdf")
    expected = OWN_TEXT.get(route.name, lambda org: OWN_MARKER)(org_a).lower()
    if (is_page_list or is_pdf) and expected not in body:
        return [f"{route.name} shows none of A's rows"]
    return []


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


# --- writes: creates with B's slug and B's ids, and no row of A linked to B ---------------------


def _b_value(field, model, world, org_b):
    """How a payload names B's row of ``model`` in ``field`` (its slug, email, number or id)."""
    if model is Organization:
        obj = org_b
    elif model is get_user_model():
        obj = world["b"][Membership].user
    else:
        obj = world["b"][model]
    slug_field = getattr(field, "slug_field", None)
    return getattr(obj, slug_field) if slug_field else obj.pk


def _guarded_fields(serializer):
    from rest_framework import relations

    from itsms.shared.choices import is_guarded

    for name, field in serializer.fields.items():
        many = isinstance(field, relations.ManyRelatedField)
        holder = field.child_relation if many else field
        if not isinstance(holder, relations.RelatedField) or holder.read_only:
            continue
        queryset = holder.get_queryset()
        if queryset is not None and is_guarded(queryset.model):
            yield name, holder, queryset.model, many


def _counts():
    return {model: model.objects.count() for model in tenant_models()}


def test_creates_refuse_another_organisations_slug_and_rows(org_a, org_b, world, consultant):
    """Every API create, named for B (its slug, or a parent row of B) answers 404 or 400; named
    for A with B's rows in its other fields, answers 400 naming those fields. Nothing is
    created either way."""
    api = APIClient()
    api.force_authenticate(consultant)
    checked = []
    for route in sweep_routes():
        if not (route.is_drf and route.drf_action == "list" and "POST" in route.methods):
            continue
        viewset = route.view_class
        if not is_tenant_route(route) or not hasattr(viewset, "create_organization_field"):
            continue
        serializer = viewset.serializer_class(context={"request": None})
        fields = list(_guarded_fields(serializer))
        parent = viewset.create_organization_field
        url = reverse(route.name)
        before = _counts()
        # 1. for B: its slug, or B's parent row
        named_b = {
            name: ([_b_value(h, m, world, org_b)] if many else _b_value(h, m, world, org_b))
            for name, h, m, many in fields
            if name == parent
        }
        response = api.post(url, named_b, format="json")
        assert response.status_code in (400, 404), (route.name, response.status_code)
        # 2. for A, with B's rows everywhere else
        mixed = {}
        for name, holder, model, many in fields:
            if name == parent:
                own = org_a.slug if model is Organization else world["a"][model].pk
                mixed[name] = own
            else:
                value = _b_value(holder, model, world, org_b)
                mixed[name] = [value] if many else value
        others = [name for name in mixed if name != parent]
        response = api.post(url, mixed, format="json")
        assert response.status_code == 400, (route.name, response.status_code, response.content)
        assert set(others) <= set(response.json()), (route.name, others, response.json())
        assert _counts() == before, f"{route.name} created something"
        checked.append(route.name)
    assert len(checked) >= 10, checked


def _b_form_payload(world, org_b):
    """Every foreign key of the project named with B's row (form posts name rows by id)."""
    from itsms.shared.choices import is_guarded

    payload = {}
    for model in tenant_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.is_relation and not field.auto_created and is_guarded(related):
                payload[field.name] = str(_b_value(None, related, world, org_b))
    return payload


def _links_from_a_to_b(org_a, org_b):
    """Rows of A whose foreign keys or many-to-many name a row of B, or a member of B only."""
    from itsms.shared.choices import is_guarded

    b_only = (
        get_user_model()
        .objects.filter(memberships__organization=org_b)
        .exclude(memberships__organization=org_a)
    )
    found = []
    for model in tenant_models():
        mine = model.objects.filter(organization=org_a)
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not field.is_relation or field.auto_created or not is_guarded(related):
                continue
            if related is get_user_model():
                linked = mine.filter(**{f"{field.name}__in": b_only})
            elif related is Organization:
                linked = mine.filter(**{field.name: org_b})
            else:
                linked = mine.filter(**{f"{field.name}__organization": org_b})
            if linked.exists():
                found.append(f"{model.__name__}.{field.name}")
    return found


def test_no_write_of_a_links_a_row_of_a_to_b(client, org_a, org_b, world, consultant):
    """Every page POST and every API write of A, given B's rows by id wherever a form or a
    serializer takes one: afterwards no row of A names a row of B, and B is unchanged."""
    client.force_login(consultant)
    api = APIClient()
    api.force_authenticate(consultant)
    form_payload = _b_form_payload(world, org_b)
    b_before = {
        model: list(model.objects.filter(organization=org_b).values()) for model in tenant_models()
    }
    posted = 0
    for route in sweep_routes():
        if not is_tenant_route(route) or "org_slug" not in route.kwargs and not route.is_drf:
            continue
        writes = [m for m in route.methods if m in ("POST", "PATCH", "PUT")]
        if not writes or (route.is_drf and route.drf_action == "list" and "POST" not in writes):
            continue
        kwargs = kwargs_for(route, org_a, world["a"])
        url = reverse(route.name, kwargs=kwargs)
        for method in writes:
            if route.is_drf:
                serializer = route.view_class.serializer_class(context={"request": None})
                payload = {
                    name: ([_b_value(h, m, world, org_b)] if many else _b_value(h, m, world, org_b))
                    for name, h, m, many in _guarded_fields(serializer)
                }
                if route.drf_action == "list":
                    payload["organization"] = org_a.slug
                response = getattr(api, method.lower())(url, payload, format="json")
            else:
                response = client.post(url, form_payload)
            assert response.status_code < 500, (method, url, response.status_code)
            posted += 1
    assert posted > 40, posted
    assert not _links_from_a_to_b(org_a, org_b)
    after = {
        model: list(model.objects.filter(organization=org_b).values()) for model in tenant_models()
    }
    assert after == b_before, "a write of organisation A changed organisation B's data"


def test_every_tenant_model_is_restricted_and_has_a_policy():
    """Every tenant model's manager offers ``restrict`` (a queryset of its own must subclass
    ``TenantQuerySet``) and its policy names at least who may see it."""
    from itsms.shared.permissions import POLICIES

    for model in tenant_models():
        assert hasattr(model.objects, "restrict"), f"{model.__name__}: subclass TenantQuerySet"
        assert "view" in POLICIES.get(model, {}), f"{model.__name__}: register its policy"
