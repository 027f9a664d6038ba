"""The gap assessment through the API: no exclusions, no headings, scoped, concurrent-safe."""

import pytest
from django.urls import reverse

from itsms.assessment import services as gap
from itsms.models import ClauseAssessment, Role

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(org_a, members):
    gap.gap_assessment_start(organization=org_a, actor=members[Role.CONSULTANT])
    return org_a


def detail(org, number):
    pk = ClauseAssessment.objects.get(organization=org, clause__number=number).pk
    return reverse("itsms-api:assessment-detail", args=[pk])


def test_list_and_filter(api_client, started, members):
    api_client.force_authenticate(members[Role.VIEWER])
    url = reverse("itsms-api:assessment-list")
    everything = api_client.get(url, {"organization": started.slug}).json()
    assert everything["count"] == 57
    chapter = api_client.get(url, {"organization": started.slug, "chapter": "8.6"}).json()
    assert [r["clause"] for r in chapter["results"]] == ["8.6.1", "8.6.2", "8.6.3"]


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "not_applicable"},
        {"status": "excluded"},
        {"status": "N/A"},
        {"applicable": False},
        {"excluded": True, "notes": "outsourced"},
    ],
)
def test_a_clause_cannot_be_excluded(api_client, started, members, payload):
    api_client.force_authenticate(members[Role.CONSULTANT])
    response = api_client.patch(detail(started, "8.4.1"), payload, format="json")
    assert response.status_code == 400
    assert "allows no exclusion" in str(response.json())
    assert "1.2" in str(response.json())
    assert ClauseAssessment.objects.get(organization=started, clause__number="8.4.1").version == 1


def test_a_heading_cannot_be_assessed_directly(api_client, org_a, members):
    api_client.force_authenticate(members[Role.CONSULTANT])
    response = api_client.post(
        reverse("itsms-api:assessment-list"),
        {"organization": org_a.slug, "clause": "8.6", "status": "implemented"},
        format="json",
    )
    assert response.status_code == 400
    assert "heading" in response.json()["clause"][0]
    assert not ClauseAssessment.objects.exists()


def test_a_leaf_can_be_added_once(api_client, org_a, members):
    api_client.force_authenticate(members[Role.CONSULTANT])
    url = reverse("itsms-api:assessment-list")
    payload = {"organization": org_a.slug, "clause": "8.6.1", "status": "planned", "maturity": 2}
    assert api_client.post(url, payload, format="json").status_code == 201
    again = api_client.post(url, payload, format="json")
    assert again.status_code == 400 and "already assessed" in again.json()["clause"][0]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"maturity": 7}, "maturity"),
        ({"maturity": "high"}, "maturity"),
        ({"target_date": "2027-02-30"}, "target_date"),
        ({"owner": "nobody@example.com"}, "owner"),
        ({"status": "done"}, "status"),
        ({"other_party": "aliens"}, "other_party"),
    ],
)
def test_bad_values_answer_400_with_the_field(api_client, started, members, payload, field):
    api_client.force_authenticate(members[Role.CONSULTANT])
    response = api_client.patch(detail(started, "8.6.1"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_an_owner_from_another_organisation_is_refused_like_an_unknown_one(
    api_client, started, members, org_b
):
    """No account probing: "not a member" and "no such account" are the same answer."""
    outsider = MembershipFactory(organization=org_b, user=UserFactory(email="b@b.example")).user
    api_client.force_authenticate(members[Role.CONSULTANT])
    member_of_b = api_client.patch(
        detail(started, "8.6.1"), {"owner": outsider.email}, format="json"
    )
    unknown = api_client.patch(detail(started, "8.6.1"), {"owner": "c@b.example"}, format="json")
    assert member_of_b.status_code == unknown.status_code == 400
    assert member_of_b.json() == {"owner": [f"Object with email={outsider.email} does not exist."]}
    assert unknown.json() == {"owner": ["Object with email=c@b.example does not exist."]}


def test_a_stale_version_answers_409(api_client, started, members):
    api_client.force_authenticate(members[Role.CONSULTANT])
    url = detail(started, "8.6.1")
    first = api_client.patch(url, {"status": "planned", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api_client.patch(url, {"status": "implemented", "version": 1}, format="json")
    assert stale.status_code == 409
    assert ClauseAssessment.objects.get(organization=started, clause__number="8.6.1").status == (
        "planned"
    )


def version_of(organization, number):
    return ClauseAssessment.objects.get(organization=organization, clause__number=number).version


def test_contributors_change_only_their_clauses(api_client, started, members):
    zhao = members[Role.CONTRIBUTOR]
    gap.assessment_update(
        assessment=ClauseAssessment.objects.get(organization=started, clause__number="8.6.1"),
        actor=members[Role.ADMIN],
        owner=zhao,
    )
    api_client.force_authenticate(zhao)
    mine = {"status": "partial", "version": version_of(started, "8.6.1")}
    assert api_client.patch(detail(started, "8.6.1"), mine).status_code == 200
    theirs = {"status": "partial", "version": version_of(started, "8.6.2")}
    assert api_client.patch(detail(started, "8.6.2"), theirs).status_code == 403


def test_viewers_cannot_change_anything(api_client, started, members):
    api_client.force_authenticate(members[Role.VIEWER])
    assert api_client.patch(detail(started, "4.1"), {"status": "planned"}).status_code == 403


def test_bulk_assign_and_readiness(api_client, started, members, org_b):
    api_client.force_authenticate(members[Role.ADMIN])
    response = api_client.post(
        reverse("itsms-api:assessment-bulk-assign"),
        {"organization": started.slug, "heading": "8.6", "owner": members[Role.CONTRIBUTOR].email},
        format="json",
    )
    assert response.status_code == 200 and response.json() == {"assigned": 3}
    elsewhere = api_client.post(
        reverse("itsms-api:assessment-bulk-assign"),
        {"organization": org_b.slug, "heading": "8.6", "owner": None},
        format="json",
    )
    assert elsewhere.status_code == 404
    done = {"status": "implemented", "version": version_of(started, "8.6.1")}
    assert api_client.patch(detail(started, "8.6.1"), done, format="json").status_code == 200
    score = api_client.get(reverse("itsms-api:readiness-list"), {"organization": started.slug})
    data = score.json()
    assert data["overall_percent"] == round(100 / 57)
    assert data["headings"]["8.6"] == 33
    assert [c["number"] for c in data["chapters"]] == ["4", "5", "6", "7", "8", "9", "10"]
