"""Running an audit: findings, access of auditors, the closing meeting, corrective actions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from audits import services
from audits.models import ActionState, AuditKind, CorrectiveAction, Finding
from itsms.models import Clause, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def url(name, org, **kwargs):
    return reverse(f"audits:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_an_assigned_external_auditor_reads_the_sms_and_records_a_finding(
    client, org_a, audit, chen
):
    client.force_login(chen)
    assert (
        client.get(
            reverse("itsms:organization_detail", kwargs={"org_slug": org_a.slug})
        ).status_code
        == 200
    )
    assert client.get(url("audit_detail", org_a, pk=audit.pk)).status_code == 200
    response = client.post(
        url("finding_create", org_a, pk=audit.pk),
        {
            "grade": "minor",
            "clause": clause("8.6.1").pk,
            "statement": "Two P1 incidents in March closed without customer confirmation",
            "objective_evidence": "Incident report Q1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    finding = Finding.objects.get(audit=audit)
    assert (finding.reference, finding.grade, finding.recorded_by) == ("A1-F1", "minor", chen)
    assert "Two P1 incidents" in response.content.decode()
    # Read-only: the external auditor changes nothing in the SMS.
    settings_page = reverse("itsms:organization_edit", kwargs={"org_slug": org_a.slug})
    assert client.get(settings_page).status_code == 403


def test_the_grading_criteria_stand_beside_the_grade_choice(client, org_a, audit, chen):
    client.force_login(chen)
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert 'data-testid="grading-criteria"' in html
    assert "An isolated human error." in html and "A systemic or regional failure." in html


def test_a_nonconformity_needs_a_clause(client, org_a, audit, chen):
    client.force_login(chen)
    response = client.post(
        url("finding_create", org_a, pk=audit.pk),
        {"grade": "major", "statement": "No change records"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "names the clause" in response.content.decode()
    assert not Finding.objects.exists()


def test_an_auditor_cannot_record_findings_in_another_audit(client, org_a, audit, chen, members):
    other = services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.INTERNAL,
        title="Internal audit",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 6, 2),
    )
    client.force_login(chen)
    response = client.post(
        url("finding_create", org_a, pk=other.pk),
        {"grade": "observation", "statement": "x"},
    )
    assert response.status_code == 404  # not even visible to an auditor of another audit
    member_auditor = members[Role.AUDITOR]
    client.force_login(member_auditor)
    response = client.post(
        url("finding_create", org_a, pk=audit.pk), {"grade": "observation", "statement": "x"}
    )
    assert response.status_code == 403  # a member auditor, but not on this audit
    assert not Finding.objects.exists()


def test_access_ends_with_the_assignment(client, org_a, audit, chen, members):
    client.force_login(chen)
    detail = reverse("itsms:organization_detail", kwargs={"org_slug": org_a.slug})
    assert client.get(detail).status_code == 200
    assignment = audit.assignments.get(user=chen)
    services.assignment_end(assignment=assignment, actor=members[Role.ADMIN])
    for page in (
        detail,
        url("audit_detail", org_a, pk=audit.pk),
        reverse("itsms:assessment", kwargs={"org_slug": org_a.slug}),
    ):
        assert client.get(page).status_code == 404
    assert org_a.name not in client.get(reverse("itsms:portfolio")).content.decode()


def test_closing_the_audit_ends_every_assignment(client, org_a, audit, chen, members):
    services.audit_close(audit=audit, actor=members[Role.ADMIN])
    client.force_login(chen)
    assert client.get(url("audit_detail", org_a, pk=audit.pk)).status_code == 404


def test_the_closing_meeting_fixes_the_response_deadline(client, org_a, audit, chen, members):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    client.force_login(chen)
    held = org_a.local_today()
    response = client.post(
        url("closing_meeting", org_a, pk=audit.pk), {"held_on": held.isoformat()}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.response_deadline == held + timedelta(days=42)
    action = CorrectiveAction.objects.get(finding=finding)
    assert action.state == ActionState.DRAFT
    future = client.post(
        url("closing_meeting", org_a, pk=audit.pk),
        {"held_on": (held + timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "cannot be in the future" in future.content.decode()


def test_a_non_lead_cannot_record_the_closing_meeting(client, org_a, audit, members):
    helper = UserFactory(email="helper@huaxin.example")
    services.assignment_add(audit=audit, actor=members[Role.ADMIN], user=helper)
    client.force_login(helper)
    response = client.post(url("closing_meeting", org_a, pk=audit.pk), {"held_on": "2026-11-04"})
    assert response.status_code == 403


def test_corrective_action_workflow_and_recommendation(client, org_a, audit, chen, members):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    action = CorrectiveAction.objects.get(finding=finding)
    zhao = members[Role.CONTRIBUTOR]
    client.force_login(zhao)
    page = url("action_detail", org_a, pk=action.pk)
    empty = client.post(page, {"operation": "submit", "version": action.version})
    assert empty.status_code == 400
    submitted = client.post(
        page,
        {
            "operation": "submit",
            "version": action.version,
            "root_cause": "No confirmation step",
            "plan": "Add a mandatory confirmation step",
            "owner": zhao.pk,
            "target_date": "2027-01-15",
        },
    )
    assert submitted.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.SUBMITTED
    # The contributor cannot accept their own plan.
    assert client.post(page, {"operation": "accept"}).status_code == 403

    client.force_login(chen)
    returned = client.post(page, {"operation": "return", "comment": "", "version": action.version})
    assert returned.status_code == 400  # a return says why
    client.post(page, {"operation": "accept", "comment": "OK", "version": action.version})
    action.refresh_from_db()
    assert action.state == ActionState.ACCEPTED
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert "Certification can be recommended" in html


def test_two_auditors_editing_a_finding_never_overwrite_each_other(client, org_a, audit, chen):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="observation", clause=clause("8.7.1"), statement="first"
    )
    stale_version = finding.version
    services.finding_update(finding=finding, actor=chen, version=stale_version, statement="second")
    client.force_login(chen)
    response = client.post(
        url("finding_edit", org_a, pk=finding.pk),
        {
            "grade": "observation",
            "clause": clause("8.7.1").pk,
            "statement": "third",
            "version": stale_version,
        },
    )
    assert response.status_code == 409
    assert "nothing was overwritten" in response.content.decode()
    finding.refresh_from_db()
    assert finding.statement == "second"


def test_an_external_auditor_is_invited_by_email_to_one_audit(
    client, org_a, audit, members, django_capture_on_commit_callbacks
):
    client.force_login(members[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("assign", org_a, pk=audit.pk), {"email": "ext@cb.example", "role": "auditor"}
        )
    assert len(mail.outbox) == 1 and audit.title in mail.outbox[0].subject
    import re

    link = re.search(r"/audit-invitations/[\w-]+/", mail.outbox[0].body).group(0)
    client.logout()
    response = client.post(
        link,
        {"full_name": "External", "password1": "pw-4-External!", "password2": "pw-4-External!"},
    )
    assert response.status_code == 302
    assert client.get(url("audit_detail", org_a, pk=audit.pk)).status_code == 200
    assert client.post(link).status_code in (400, 410)  # single use


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_unknown_audit_invitation_link_is_not_found_and_a_used_one_is_gone(
    client, org_a, audit, members, django_capture_on_commit_callbacks, language
):
    """The answer depends on why the link fails, not on the words of the message (which are
    translated): 404 for a link that never existed, 410 for one already used, in any language."""
    import re

    client.force_login(members[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("assign", org_a, pk=audit.pk), {"email": "ext@cb.example", "role": "auditor"}
        )
    link = re.search(r"/audit-invitations/[\w-]+/", mail.outbox[0].body).group(0)
    client.logout()
    signup = {"full_name": "External", "password1": "pw-4-External!", "password2": "pw-4-External!"}
    assert client.post(link, signup).status_code == 302
    client.logout()
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    assert client.get("/audit-invitations/no-such-token/", **headers).status_code == 404
    assert client.get(link, **headers).status_code == 410


def test_the_programme_shows_coverage_gaps(client, org_a, members):
    services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.INTERNAL,
        title="Internal 1",
        planned_start=org_a.local_today() - timedelta(days=30),
        planned_end=org_a.local_today() - timedelta(days=29),
        scope_clauses=[clause("8.6")],
    )
    client.force_login(members[Role.VIEWER])
    html = client.get(url("programme", org_a)).content.decode()
    assert "not audited" in html
    assert html.count("8.6.1") == 1


def test_plan_next_copies_scope_team_and_plan(org_a, audit, members):
    from datetime import UTC, datetime

    services.session_add(
        audit=audit,
        actor=members[Role.ADMIN],
        starts_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
        ends_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        topic="Incident management",
    )
    audit.scope_clauses.set([clause("8.6.1")])
    services.assignment_add(audit=audit, actor=members[Role.ADMIN], user=members[Role.AUDITOR])
    new = services.audit_plan_next(
        audit=audit,
        actor=members[Role.ADMIN],
        planned_start=date(2027, 11, 2),
        planned_end=date(2027, 11, 4),
    )
    assert list(new.scope_clauses.values_list("number", flat=True)) == ["8.6.1"]
    assert new.sessions.get().starts_at == datetime(2027, 11, 2, 9, tzinfo=UTC)
    assert new.assignments.filter(user=members[Role.AUDITOR]).exists()


@pytest.mark.parametrize(
    "role,status",
    [(Role.VIEWER, 403), (Role.CONTRIBUTOR, 403), (Role.ADMIN, 200), (Role.CONSULTANT, 200)],
)
def test_who_may_plan_an_audit(client, org_a, members, role, status):
    client.force_login(members[role])
    assert client.get(url("audit_create", org_a)).status_code == status


def test_the_report_pdf_renders_a_chinese_finding(client, org_a, audit, chen, tmp_path):
    import shutil
    import subprocess

    services.finding_record(
        audit=audit,
        actor=chen,
        grade="minor",
        clause=clause("8.6.1"),
        statement="三月份有两起P1事件在未经客户确认的情况下关闭",
    )
    client.force_login(chen)
    response = client.get(url("audit_report", org_a, pk=audit.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    if not shutil.which("pdftotext"):
        from tests.conftest import need_service

        need_service(False, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout  # noqa: S603,S607
    assert "Stage 2 audit" in text
    assert "未经客户确认" in text.replace("\n", "")
    assert "F1" in text


def test_a_finding_links_evidence_of_the_organisation_only(org_a, org_b, audit, chen, members):
    from django.core.exceptions import ValidationError

    from itsms.evidence import services as evidence_services
    from tests.test_evidence import pdf

    mine = evidence_services.evidence_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        title="Incident report Q1",
        kind="report",
        upload=pdf(),
    )
    theirs = evidence_services.evidence_create(
        organization=org_b,
        actor=UserFactory(),
        title="Other",
        kind="report",
        upload=pdf(),
    )
    finding = services.finding_record(
        audit=audit,
        actor=chen,
        grade="minor",
        clause=clause("8.6.1"),
        statement="s",
        evidence=[mine],
    )
    assert list(finding.evidence.all()) == [mine]
    with pytest.raises(ValidationError):
        services.finding_record(
            audit=audit, actor=chen, grade="observation", statement="x", evidence=[theirs]
        )
