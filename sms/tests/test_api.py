"""The SMS records API: scoped to the organisation, writes through the services, 400 with
details for bad input, 409 for a stale version, 403 by role and object rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.assessment import services as gap
from itsms.evidence import services as evidence
from itsms.models import ClauseAssessment, Role
from processes import services as processes
from processes.models import ProcessInstance
from sms.models import Risk

from .factories import agreement, risk, supplier

pytestmark = pytest.mark.django_db


def api(name, pk=None):
    if pk is None:
        return reverse(f"sms-api:{name}-list")
    return reverse(f"sms-api:{name}-detail", args=[pk])


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


def test_a_risk_created_through_the_api_has_its_scores_links_and_reference(
    api_client, org_a, consultant, members
):
    processes.process_instances_ensure(org_a)
    continuity = ProcessInstance.objects.get(organization=org_a, clause__number="8.7.2")
    api_client.force_authenticate(consultant)
    response = api_client.post(
        api("risk"),
        {
            "organization": org_a.slug,
            "title": "Power failure at the data centre",
            "category": "service",
            "likelihood": 2,
            "impact": 5,
            "treatment": "transfer",
            "residual_likelihood": 1,
            "residual_impact": 5,
            "owner": members[Role.CONTRIBUTOR].email,
            "clauses": ["6.1", "8.7.2"],
            "processes": [continuity.pk],
            "status": "monitored",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == "R-001" and body["inherent_score"] == 10
    assert (body["residual_score"], body["current_score"], body["level"]) == (5, 5, "medium")
    assert body["treatment_state"] == "treated" and body["clauses"] == ["6.1", "8.7.2"]
    assert Risk.objects.get().history.first().history_user == consultant


def test_a_viewer_is_refused_before_the_payload_is_read(api_client, org_a, members):
    api_client.force_authenticate(members[Role.VIEWER])
    response = api_client.post(
        api("risk"), {"organization": org_a.slug, "likelihood": "nonsense"}, format="json"
    )
    assert response.status_code == 403
    assert "likelihood" not in response.json()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"likelihood": 9}, "likelihood"),
        ({"likelihood": "high"}, "likelihood"),
        ({"kind": "threat"}, "kind"),
        ({"residual_likelihood": 1, "residual_impact": 1}, "treatment"),
        ({"owner": "nobody@example.com"}, "owner"),
    ],
)
def test_bad_input_answers_400_with_the_field(api_client, org_a, consultant, payload, field):
    api_client.force_authenticate(consultant)
    data = {"organization": org_a.slug, "title": "T", "likelihood": 2, "impact": 2, **payload}
    response = api_client.post(api("risk"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Risk.objects.exists()


def test_links_to_another_organisations_rows_are_refused(api_client, org_a, org_b, consultant):
    processes.process_instances_ensure(org_b)
    theirs = ProcessInstance.objects.filter(organization=org_b).first()
    api_client.force_authenticate(consultant)
    response = api_client.post(
        api("risk"),
        {
            "organization": org_a.slug,
            "title": "T",
            "likelihood": 1,
            "impact": 1,
            "processes": [theirs.pk],
        },
        format="json",
    )
    assert response.status_code == 400 and "processes" in response.json()


def test_a_change_names_its_version_and_a_stale_one_answers_409(api_client, org_a, admin):
    row = risk(org_a, admin)
    api_client.force_authenticate(admin)
    assert api_client.patch(api("risk", row.pk), {"impact": 5}, format="json").status_code == 400
    ok = api_client.patch(api("risk", row.pk), {"impact": 5, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["impact"] == 5
    stale = api_client.patch(api("risk", row.pk), {"impact": 1, "version": 1}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()
    row.refresh_from_db()
    assert row.impact == 5


def test_a_contributor_changes_only_what_they_own_and_cannot_hand_it_on(
    api_client, org_a, admin, members
):
    zhao = members[Role.CONTRIBUTOR]
    mine, other = risk(org_a, admin, owner=zhao), risk(org_a, admin, owner=admin)
    api_client.force_authenticate(zhao)
    assert (
        api_client.patch(
            api("risk", mine.pk), {"status": "in_treatment", "version": 1}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_client.patch(
            api("risk", other.pk), {"status": "closed", "version": 1}, format="json"
        ).status_code
        == 403
    )
    handed = api_client.patch(
        api("risk", mine.pk), {"owner": admin.email, "version": 2}, format="json"
    )
    assert handed.status_code == 403
    assert (
        api_client.post(
            api("risk"),
            {"organization": org_a.slug, "title": "T", "likelihood": 1, "impact": 1},
            format="json",
        ).status_code
        == 403
    )


def test_an_objective_measured_by_a_kpi_reports_its_value_and_whether_it_is_met(
    api_client, org_a, admin
):
    processes.process_instances_ensure(org_a)
    kpi = processes.kpi_create(
        process=ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1"),
        actor=admin,
        name="P1 incidents resolved within 4 h",
        target=Decimal("95"),
        unit="%",
    )
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 1, 1), value=96)
    api_client.force_authenticate(admin)
    created = api_client.post(
        api("objective"),
        {"organization": org_a.slug, "title": "Resolve P1 within 4 h", "kpi": kpi.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    listed = api_client.get(api("objective"), {"organization": org_a.slug}).json()["results"]
    assert (listed[0]["value"], listed[0]["met"]) == ("96.000", True)


def test_setting_the_clauses_a_supplier_operates(api_client, org_a, admin):
    gap.gap_assessment_start(organization=org_a, actor=admin)
    row = supplier(org_a, admin, title="Harbour Data Centre Co.")
    api_client.force_authenticate(admin)
    url = reverse("sms-api:supplier-clauses", args=[row.pk])
    assert api_client.post(url, {"clauses": ["8.7.2", "9.9.9"]}, format="json").status_code == 400
    response = api_client.post(url, {"clauses": ["8.7.2"]}, format="json")
    assert response.status_code == 200 and response.json()["operates"] == ["8.7.2"]
    operated = ClauseAssessment.objects.get(organization=org_a, clause__number="8.7.2")
    assert operated.other_party_name == "Harbour Data Centre Co."


def test_a_review_is_recorded_by_whoever_may_edit_the_agreement(api_client, org_a, admin, members):
    row = agreement(org_a, admin)
    api_client.force_authenticate(members[Role.VIEWER])
    payload = {"agreement": row.pk, "held_on": "2026-01-15", "rating": 4, "notes": "fine"}
    assert api_client.post(api("agreement-review"), payload, format="json").status_code == 403
    api_client.force_authenticate(admin)
    response = api_client.post(api("agreement-review"), payload, format="json")
    assert response.status_code == 201 and response.json()["recorded_by"] == admin.email


def test_the_checklist_api_links_evidence_and_reports_the_state(api_client, org_a, admin):
    api_client.force_authenticate(admin)
    listed = api_client.get(api("document"), {"organization": org_a.slug}).json()["results"]
    scope = next(i for i in listed if i["key"] == "scope")
    assert scope["state"] == "missing"
    item = evidence.evidence_create(
        organization=org_a,
        actor=admin,
        upload=SimpleUploadedFile("s.txt", b"scope\n"),
        title="Scope statement",
    )
    evidence.evidence_transition(evidence=item, actor=admin, to="in_review")
    evidence.evidence_transition(evidence=item, actor=admin, to="approved")
    response = api_client.patch(
        api("document", scope["id"]),
        {"evidence": [item.pk], "version": scope["version"]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "present"


def test_the_scale_is_changed_only_when_no_score_falls_off_it(api_client, org_a, admin):
    risk(org_a, admin, likelihood=5, impact=5)
    api_client.force_authenticate(admin)
    current = api_client.get(api("settings"), {"organization": org_a.slug}).json()["results"][0]
    response = api_client.patch(
        api("settings", current["id"]),
        {"likelihood_levels": 4, "high_from": 12, "version": current["version"]},
        format="json",
    )
    assert response.status_code == 400 and "likelihood_levels" in response.json()
