"""Audits through the API: computed fields, scoping to assignments, concurrency."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audits import services
from audits.models import CorrectiveAction
from itsms.models import Clause, Role

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def test_audit_shows_its_deadline_and_recommendation_read_only(api_client, org_a, audit, chen):
    services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    api_client.force_authenticate(chen)
    data = api_client.get(reverse("audits-api:audit-detail", args=[audit.pk])).json()
    assert data["response_deadline"] == (org_a.local_today() + timedelta(days=42)).isoformat()
    assert data["recommendation"]["recommended"] is False
    findings = api_client.get(reverse("audits-api:finding-list"), {"organization": org_a.slug})
    assert findings.json()["results"][0]["response_deadline"] == data["response_deadline"]


def test_auditor_records_findings_only_in_their_audit(api_client, org_a, audit, chen, members):
    api_client.force_authenticate(chen)
    ok = api_client.post(
        reverse("audits-api:finding-list"),
        {"audit": audit.pk, "grade": "observation", "clause": "8.7.1", "statement": "obs"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["reference"] == "A1-F1"
    missing_clause = api_client.post(
        reverse("audits-api:finding-list"),
        {"audit": audit.pk, "grade": "major", "statement": "no clause"},
        format="json",
    )
    assert missing_clause.status_code == 400 and "clause" in missing_clause.json()
    api_client.force_authenticate(members[Role.CONTRIBUTOR])
    denied = api_client.post(
        reverse("audits-api:finding-list"),
        {"audit": audit.pk, "grade": "observation", "statement": "x"},
        format="json",
    )
    assert denied.status_code == 403


def test_finding_version_conflict_answers_409(api_client, audit, chen):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="observation", clause=clause("8.7.1"), statement="a"
    )
    api_client.force_authenticate(chen)
    detail = reverse("audits-api:finding-detail", args=[finding.pk])
    assert (
        api_client.patch(detail, {"statement": "b", "version": 1}, format="json").status_code == 200
    )
    assert (
        api_client.patch(detail, {"statement": "c", "version": 1}, format="json").status_code == 409
    )


def test_corrective_action_through_the_api(api_client, org_a, audit, chen, members):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    action = CorrectiveAction.objects.get(finding=finding)
    zhao = members[Role.CONTRIBUTOR]
    api_client.force_authenticate(zhao)
    detail = reverse("audits-api:action-detail", args=[action.pk])
    answer = {"root_cause": "rc", "plan": "p", "owner": zhao.email}
    blind = api_client.patch(detail, answer, format="json")
    assert blind.status_code == 400 and "version" in blind.json()  # never a blind overwrite
    patched = api_client.patch(detail, {**answer, "version": action.version}, format="json")
    assert patched.status_code == 200
    version = patched.json()["version"]
    submit = reverse("audits-api:action-submit", args=[action.pk])
    submitted = api_client.post(submit, {"version": version}, format="json")
    assert submitted.status_code == 200
    version = submitted.json()["version"]
    accept = reverse("audits-api:action-accept", args=[action.pk])
    assert api_client.post(accept, {"version": version}, format="json").status_code == 403
    api_client.force_authenticate(chen)
    stale = api_client.post(accept, {"comment": "fine", "version": version - 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["state"] == "submitted"
    accepted = api_client.post(accept, {"comment": "fine", "version": version}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    again = api_client.post(accept, {"version": accepted.json()["version"]}, format="json")
    assert again.status_code == 400


def test_after_the_assignment_ends_the_api_answers_404(api_client, org_a, audit, chen, members):
    api_client.force_authenticate(chen)
    assert api_client.get(reverse("audits-api:audit-detail", args=[audit.pk])).status_code == 200
    services.assignment_end(assignment=audit.assignments.get(user=chen), actor=members[Role.ADMIN])
    assert api_client.get(reverse("audits-api:audit-detail", args=[audit.pk])).status_code == 404
    listing = api_client.get(reverse("audits-api:audit-list"), {"organization": org_a.slug})
    assert listing.status_code == 404


def test_a_certification_body_of_another_organisation_cannot_be_chosen(
    api_client, org_a, org_b, members
):
    from audits.models import CertificationBody

    theirs = CertificationBody.objects.create(organization=org_b, name="Other CB")
    api_client.force_authenticate(members[Role.ADMIN])
    response = api_client.post(
        reverse("audits-api:audit-list"),
        {
            "organization": org_a.slug,
            "kind": "stage1",
            "title": "Stage 1",
            "certification_body": theirs.pk,
            "planned_start": "2026-12-01",
            "planned_end": "2026-12-02",
        },
        format="json",
    )
    assert response.status_code == 400 and "certification_body" in response.json()
