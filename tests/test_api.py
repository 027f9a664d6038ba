"""The REST API: default deny, token auth, reference endpoints, scoped tenant endpoints."""

import pytest
from django.urls import reverse

from itsms.models import Membership, Organization, Role

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_authentication(api_client, consultant):
    response = api_client.post(
        reverse("itsms-api:auth-token"), {"username": consultant.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    key = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("itsms-api:organization-list")).status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api_client.get(reverse("itsms-api:organization-list")).status_code == 401


def test_the_openapi_schema_documents_every_endpoint(api_client, consultant):
    api_client.force_authenticate(consultant)
    response = api_client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/standards/",
        "/api/v1/clauses/",
        "/api/v1/organizations/",
        "/api/v1/memberships/",
        "/api/v1/invitations/",
    ):
        assert path in paths
    params = {p["name"]: p for p in paths["/api/v1/memberships/"]["get"]["parameters"]}
    assert params["organization"]["required"] is True


def test_the_docs_page_is_served_without_a_cdn(client, consultant):
    client.force_login(consultant)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()


def test_clauses_filter_by_standard_and_parent(api_client, consultant):
    api_client.force_authenticate(consultant)
    url = reverse("itsms-api:clause-list")
    top = api_client.get(url, {"standard": "iso20000-1-2018", "parent": "none"}).json()
    assert [c["number"] for c in top["results"]] == ["4", "5", "6", "7", "8", "9", "10"]
    children = api_client.get(url, {"standard": "iso20000-1-2018", "parent": "8.6"}).json()
    assert [c["number"] for c in children["results"]] == ["8.6.1", "8.6.2", "8.6.3"]
    incident = children["results"][0]
    others = {(c["other"]["standard"], c["other"]["number"]) for c in incident["correlations"]}
    assert ("iso20000-1-2011", "8.1") in others
    all_2018 = api_client.get(url, {"standard": "iso20000-1-2018"}).json()
    assert all_2018["count"] == 77


def test_standards_list(api_client, consultant):
    api_client.force_authenticate(consultant)
    data = api_client.get(reverse("itsms-api:standard-list")).json()
    codes = {s["code"]: s["clause_count"] for s in data["results"]}
    assert codes["iso20000-1-2018"] == 77
    assert {"iso20000-1-2011", "iso27001-2013", "iso9001-2015"} <= set(codes)


def test_create_an_organisation_through_the_api(api_client, consultant):
    api_client.force_authenticate(consultant)
    response = api_client.post(
        reverse("itsms-api:organization-list"),
        {"name": "Bank", "slug": "bank", "time_zone": "Asia/Shanghai", "language": "zh-hans"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["my_role"] == Role.CONSULTANT
    assert Membership.objects.get(organization__slug="bank", user=consultant).role == "consultant"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"name": "X", "slug": "alpha-bank"}, "slug"),
        ({"name": "X", "slug": "Bad Slug!"}, "slug"),
        ({"name": "X", "slug": "ok-slug", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"name": "X", "slug": "ok-slug", "language": "xx"}, "language"),
        ({"slug": "ok-slug"}, "name"),
        ({"name": "X", "slug": "ok-slug", "creator_role": "viewer"}, "creator_role"),
        ({"name": ["not", "a", "string"], "slug": "ok-slug"}, "name"),
    ],
)
def test_malformed_organisation_payloads_answer_400_with_details(
    api_client, consultant, org_a, payload, field
):
    api_client.force_authenticate(consultant)
    before = Organization.objects.count()
    response = api_client.post(reverse("itsms-api:organization-list"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Organization.objects.count() == before


def test_unparseable_json_answers_400(api_client, consultant):
    api_client.force_authenticate(consultant)
    response = api_client.generic(
        "POST", reverse("itsms-api:organization-list"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_memberships_list_is_scoped_and_role_changes_are_validated(api_client, org_a, members):
    api_client.force_authenticate(members[Role.ADMIN])
    url = reverse("itsms-api:membership-list")
    data = api_client.get(url, {"organization": org_a.slug}).json()
    assert data["count"] == 5
    viewer = Membership.objects.get(organization=org_a, role=Role.VIEWER)
    detail = reverse("itsms-api:membership-detail", args=[viewer.pk])
    bad = api_client.patch(detail, {"role": "superuser"}, format="json")
    assert bad.status_code == 400 and "role" in bad.json()
    ok = api_client.patch(detail, {"role": Role.CONTRIBUTOR}, format="json")
    assert ok.status_code == 200 and ok.json()["role"] == Role.CONTRIBUTOR
    filtered = api_client.get(url, {"organization": org_a.slug, "role": Role.CONTRIBUTOR}).json()
    assert filtered["count"] == 2


def test_the_last_manager_cannot_be_removed_through_the_api(api_client, org_a, members):
    Membership.objects.filter(organization=org_a, role=Role.ADMIN).delete()
    consultant = Membership.objects.get(organization=org_a, role=Role.CONSULTANT)
    api_client.force_authenticate(members[Role.CONSULTANT])
    response = api_client.delete(reverse("itsms-api:membership-detail", args=[consultant.pk]))
    assert response.status_code == 400
    assert "at least one consultant or admin" in str(response.json())
    assert Membership.objects.filter(pk=consultant.pk).exists()


def test_a_missing_organization_filter_is_a_clear_400(api_client, consultant):
    api_client.force_authenticate(consultant)
    response = api_client.get(reverse("itsms-api:membership-list"))
    assert response.status_code == 400
    assert "required" in response.json()["organization"][0]


def test_notifications_through_the_api_are_the_users_own(api_client, org_a, members):
    from itsms.notifications.services import notify

    (mine,) = notify(organization=org_a, user=members[Role.ADMIN], text="Reminder: surveillance")
    notify(organization=org_a, user=members[Role.VIEWER], text="Someone else's")
    api_client.force_authenticate(members[Role.ADMIN])
    url = reverse("itsms-api:notification-list")
    data = api_client.get(url, {"organization": org_a.slug, "unread": "true"}).json()
    assert [n["text"] for n in data["results"]] == ["Reminder: surveillance"]
    read = api_client.post(reverse("itsms-api:notification-read", args=[mine.pk]))
    assert read.status_code == 200 and read.json()["read_at"]
    assert api_client.get(url, {"organization": org_a.slug, "unread": "true"}).json()["count"] == 0


def test_the_site_admin_edits_the_checklist_template(client, db):
    from itsms.models import User

    admin = User.objects.create_superuser(email="root@example.com", password="x" * 12)
    client.force_login(admin)
    assert client.get("/admin/certification/checklisttemplateitem/").status_code == 200
    assert client.get("/admin/itsms/organization/").status_code == 200
    assert client.get("/admin/itsms/user/").status_code == 200
