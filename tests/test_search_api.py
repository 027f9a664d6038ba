"""The search API (``/api/v1/search/``), its schema, and the queries of every search surface."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.evidence import services as evidence_services
from itsms.models import Membership, Role
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


def upload(org, actor, title, description=""):
    return evidence_services.evidence_create(
        organization=org,
        actor=actor,
        upload=SimpleUploadedFile("p.txt", b"x"),
        title=title,
        description=description,
    )


def test_the_api_answers_grouped_and_highlighted(api_client, org_a, consultant):
    item = upload(org_a, consultant, "Incident <b>procedure</b>", "How incidents are handled")
    api_client.force_authenticate(consultant)
    body = api_client.get(URL, {"organization": org_a.slug, "q": "incident"}).json()
    assert body["query"] == "incident" and body["organization"] == org_a.slug
    groups = {g["kind"]: g for g in body["groups"]}
    assert {"clause", "evidence"} <= set(groups)
    result = groups["evidence"]["results"][0]
    assert result["id"] == item.pk and result["title"] == "Incident <b>procedure</b>"
    assert result["title_html"] == "<mark>Incident</mark> &lt;b&gt;procedure&lt;/b&gt;"
    assert "<mark>incidents</mark>" in result["snippet_html"]
    assert result["url"].endswith(f"/o/{org_a.slug}/evidence/{item.pk}/")
    assert body["total"] == sum(g["total"] for g in body["groups"])


def test_one_kind_pages_with_limit_and_offset(api_client, org_a, consultant):
    for n in range(5):
        upload(org_a, consultant, f"Shift report {n}")
    api_client.force_authenticate(consultant)
    pages = [
        api_client.get(
            URL,
            {"organization": org_a.slug, "q": "shift", "kind": "evidence", "limit": 2, "offset": o},
        ).json()
        for o in (0, 2, 4)
    ]
    ids = [r["id"] for p in pages for g in p["groups"] for r in g["results"]]
    assert len(ids) == 5 == len(set(ids))
    assert all(g["kind"] == "evidence" and g["total"] == 5 for p in pages for g in p["groups"])


@pytest.mark.parametrize(
    "params,field",
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x", "kind": "nope"}, "kind"),
        ({"q": "x", "limit": 0}, "limit"),
        ({"q": "x", "limit": "many"}, "limit"),
        ({"q": "x", "offset": -1}, "offset"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_answer_400_with_the_field(api_client, org_a, consultant, params, field):
    api_client.force_authenticate(consultant)
    response = api_client.get(URL, {"organization": org_a.slug, **params})
    assert response.status_code == 400
    assert field in response.json()


def test_the_organisation_is_required_and_must_be_the_users(api_client, org_a, org_b, consultant):
    api_client.force_authenticate(consultant)
    assert "organization" in api_client.get(URL, {"q": "incident"}).json()
    assert api_client.get(URL, {"organization": org_b.slug, "q": "x"}).status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(URL, {"organization": org_a.slug, "q": "x"}).status_code in (401, 403)


def test_the_schema_documents_the_search_endpoint(api_client, consultant):
    api_client.force_authenticate(consultant)
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert {"organization", "q", "kind", "limit", "offset"} <= set(names)
    assert names["organization"]["required"] and names["q"]["required"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["$ref"].endswith("/SearchResponse")


# --- queries: constant whatever the data ----------------------------------------------------


def grow(org, consultant, n):
    for i in range(n):
        upload(org, consultant, f"Incident report {i}", "incident handled")
    for i in range(n // 5):
        other = OrganizationFactory(name=f"Client {org.pk}-{n}-{i}")
        Membership.objects.create(organization=other, user=consultant, role=Role.CONSULTANT)
        upload(other, consultant, f"Incident log {i}")


def measured(django_assert_max_num_queries, get, budget):
    with django_assert_max_num_queries(budget) as ctx:
        response = get()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "surface,budget",
    [("organization_page", 16), ("all_page", 16), ("kind_page", 16), ("api", 10)],
)
def test_search_runs_constant_queries(
    client, api_client, org_a, consultant, django_assert_max_num_queries, surface, budget
):
    client.force_login(consultant)
    api_client.force_authenticate(consultant)
    org_url = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    requests = {
        "organization_page": lambda: client.get(org_url, {"q": "incident"}),
        "all_page": lambda: client.get(reverse("itsms:search"), {"q": "incident"}),
        "kind_page": lambda: client.get(org_url, {"q": "incident", "kind": "evidence"}),
        "api": lambda: api_client.get(URL, {"organization": org_a.slug, "q": "incident"}),
    }
    grow(org_a, consultant, 5)
    requests[surface]()  # warm per-process caches (content types, jieba)
    small = measured(django_assert_max_num_queries, requests[surface], budget)
    grow(org_a, consultant, 30)
    large = measured(django_assert_max_num_queries, requests[surface], budget)
    assert small == large
