"""Search goes through the organisation checkpoint: B's words are never found by A; an outside
auditor finds the organisation only while assigned; each kind shows what the role may see."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits import services as audits
from audits.models import AuditAssignment, AuditKind, Finding
from itsms.evidence import services as evidence_services
from itsms.models import Clause, Membership, Role, SearchDocument
from itsms.search import selectors

from .harness.world import MARKER, plant

pytestmark = pytest.mark.django_db


def kinds_found(user, query, org=None):
    results = selectors.search(user, query, organizations=[org.pk] if org else None)
    return {
        (o.slug, g.kind.key): [r.hit.title for r in g.results]
        for o in results.organizations
        for g in o.groups
    }


@pytest.fixture
def world(org_a, org_b, members):
    return {"a": plant(org_a, marker="alphaown"), "b": plant(org_b)}


def test_bs_words_are_in_the_index_and_never_found_by_a(client, api_client, org_a, org_b, world):
    assert SearchDocument.objects.filter(organization=org_b, body__icontains=MARKER).count() >= 5
    for role, user in world_members(org_a):
        assert kinds_found(user, MARKER) == {}, role
        assert kinds_found(user, f"{MARKER} incident") == {}, role
        client.force_login(user)
        for url in (
            reverse("itsms:search"),
            reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug}),
        ):
            page = client.get(url, {"q": "incident"}).content.decode().lower()
            assert MARKER not in page, (role, url)
        api_client.force_authenticate(user)
        answer = api_client.get(
            reverse("itsms-api:search-list"), {"organization": org_a.slug, "q": "incident"}
        )
        assert answer.status_code == 200 and MARKER not in answer.content.decode().lower()
        assert (
            api_client.get(
                reverse("itsms-api:search-list"), {"organization": org_b.slug, "q": MARKER}
            ).status_code
            == 404
        )


def world_members(org):
    """The members of each role of A (the ``members`` fixture's users)."""
    rows = Membership.objects.filter(organization=org, user__email__endswith="@alpha.example")
    return [(m.role, m.user) for m in rows.select_related("user")]


def test_a_finds_its_own_planted_rows_so_the_check_above_can_fail(client, org_a, world, consultant):
    found = kinds_found(consultant, "alphaown", org_a)
    assert {kind for _slug, kind in found} >= {
        "clause",
        "evidence",
        "process",
        "service",
        "audit",
        "finding",
        "corrective_action",
    }
    client.force_login(consultant)
    page = client.get(reverse("itsms:search"), {"q": "incident"}).content.decode().lower()
    assert "alphaown" in page


def test_an_outside_auditor_finds_the_organisation_only_while_assigned(
    client, api_client, org_a, members, audit, chen
):
    admin = members[Role.ADMIN]
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    evidence_services.evidence_create(
        organization=org_a,
        actor=admin,
        upload=SimpleUploadedFile("report.txt", b"incident report"),
        title="Incident report March",
        clauses=[clause],
    )
    audits.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause, statement="Incident not confirmed"
    )
    other = audits.audit_create(
        organization=org_a,
        actor=admin,
        kind=AuditKind.INTERNAL,
        title="Internal incident audit",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 6, 2),
    )
    audits.finding_record(
        audit=other, actor=admin, grade="observation", clause=clause, statement="Incident trend"
    )
    found = kinds_found(chen, "incident")
    assert set(found) >= {(org_a.slug, "clause"), (org_a.slug, "evidence")}
    assert found[(org_a.slug, "finding")] == ["Incident not confirmed"]  # not the internal one
    assert kinds_found(chen, "audit")[(org_a.slug, "audit")] == ["Stage 2 audit"]
    # a member sees the findings of every audit
    admin_found = kinds_found(admin, "incident", org_a)
    assert sorted(admin_found[(org_a.slug, "finding")]) == [
        "Incident not confirmed",
        "Incident trend",
    ]

    for assignment in AuditAssignment.objects.filter(user=chen):
        audits.assignment_end(assignment=assignment, actor=admin)
    assert kinds_found(chen, "incident") == {}
    client.force_login(chen)
    assert client.get(reverse("itsms:search"), {"q": "incident"}).context["results"].total == 0
    org_search = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    assert client.get(org_search, {"q": "incident"}).status_code == 404
    api_client.force_authenticate(chen)
    response = api_client.get(
        reverse("itsms-api:search-list"), {"organization": org_a.slug, "q": "incident"}
    )
    assert response.status_code == 404


def test_a_member_auditor_finds_the_evidence_the_register_shows_him(
    client, org_a, members, consultant
):
    """An internal auditor (a member with the auditor role) reads evidence by membership on
    the register (the evidence policy): the search finds exactly that, no more, no less."""
    auditor = members[Role.AUDITOR]
    evidence_services.evidence_create(
        organization=org_a,
        actor=consultant,
        upload=SimpleUploadedFile("p.txt", b"x"),
        title="Incident procedure",
    )
    client.force_login(auditor)
    register = client.get(reverse("itsms:evidence_list", kwargs={"org_slug": org_a.slug}))
    assert "Incident procedure" in register.content.decode()
    found = kinds_found(auditor, "incident", org_a)
    assert found[(org_a.slug, "evidence")] == ["Incident procedure"]
    assert (org_a.slug, "clause") in found


def test_contributors_and_viewers_find_what_they_may_view(org_a, members, consultant):
    evidence_services.evidence_create(
        organization=org_a,
        actor=consultant,
        upload=SimpleUploadedFile("p.txt", b"x"),
        title="Incident procedure",
    )
    for role in (Role.CONTRIBUTOR, Role.VIEWER):
        assert kinds_found(members[role], "incident", org_a)[(org_a.slug, "evidence")] == [
            "Incident procedure"
        ]


def test_a_finding_of_another_organisation_with_the_same_words_stays_there(org_a, org_b, world):
    assert Finding.objects.filter(organization=org_b).exists()
    results = selectors.search(world_members(org_a)[0][1], "two p1 incidents closed")
    assert {o.slug for o in results.organizations} <= {org_a.slug}
