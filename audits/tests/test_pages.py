"""Planning and running an audit through its pages, as the users of journey 3 do."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from audits import services
from audits.models import ActionState, Audit, AuditKind, CertificationBody, CorrectiveAction
from itsms.models import Clause, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def url(name, org, **kwargs):
    return reverse(f"audits:{name}", kwargs={"org_slug": org.slug, **kwargs})


def speak(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# --- issue 9.4: an audit is created with a certification body and an audit guide -----------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADMIN])
def test_an_audit_is_planned_with_a_certification_body_and_an_audit_guide(
    client, org_a, members, body, role, language
):
    guide = members[Role.CONTRIBUTOR]
    speak(client, language).force_login(members[role])
    page = client.get(url("audit_create", org_a))
    html = page.content.decode()
    # The page offers the body and the guide ...
    assert f'<option value="{body.pk}">{body.name}</option>' in html
    assert f'<option value="{guide.pk}">{guide.get_full_name()}</option>' in html
    # ... and accepts them.
    response = client.post(
        url("audit_create", org_a),
        {
            "kind": AuditKind.STAGE2,
            "title": "Stage 2 audit 2026",
            "certification_body": body.pk,
            "audit_guide": guide.pk,
            "planned_start": "2026-11-02",
            "planned_end": "2026-11-04",
            "standard_edition": "iso20000-1-2018",
            "scope_sites": "Head office, Shanghai",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    audit = Audit.objects.get(organization=org_a, title="Stage 2 audit 2026")
    assert (audit.certification_body, audit.audit_guide) == (body, guide)
    assert (audit.planned_start, audit.planned_end) == (date(2026, 11, 2), date(2026, 11, 4))
    assert audit.created_by == members[role] and audit.reference == "A1"


def test_the_form_still_refuses_another_organisations_body_and_a_non_member_guide(
    client, org_a, org_b, members
):
    theirs = CertificationBody.objects.create(organization=org_b, name="Their CB")
    stranger = MembershipFactory(organization=org_b).user
    client.force_login(members[Role.ADMIN])
    response = client.post(
        url("audit_create", org_a),
        {
            "kind": AuditKind.STAGE2,
            "title": "x",
            "certification_body": theirs.pk,
            "audit_guide": stranger.pk,
            "planned_start": "2026-11-02",
            "planned_end": "2026-11-04",
            "standard_edition": "iso20000-1-2018",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "certification_body" in errors and "audit_guide" in errors
    assert not Audit.objects.filter(organization=org_a).exists()


def test_editing_an_audit_with_a_stale_version_answers_409(client, org_a, audit, members):
    client.force_login(members[Role.ADMIN])
    stale = audit.version
    services.audit_update(audit=audit, actor=members[Role.ADMIN], title="Meanwhile")
    response = client.post(
        url("audit_edit", org_a, pk=audit.pk),
        {
            "kind": audit.kind,
            "title": "Renamed",
            "certification_body": audit.certification_body_id,
            "planned_start": "2026-11-02",
            "planned_end": "2026-11-04",
            "standard_edition": audit.standard_edition,
            "version": stale,
        },
    )
    assert response.status_code == 409
    audit.refresh_from_db()
    assert audit.title == "Meanwhile"


# --- the seed: stages, criteria, opening meeting, grading criteria ---------------------------


def test_the_stages_are_named_stage_1_and_stage_2_audit_with_the_seeds_warning(
    client, org_a, audit, members
):
    client.force_login(members[Role.ADMIN])
    html = client.get(url("audit_create", org_a)).content.decode()
    assert ">Stage 1 audit</option>" in html and ">Stage 2 audit</option>" in html
    assert "documentation review" not in html and "on-site" not in html
    assert "not literally “documents only” and “on site”" in html
    zh = speak(client, "zh-hans").get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert "第二阶段审核" in zh and "逐步深入" in zh
    assert "现场审核）" not in zh and "文件评审" not in zh


def test_the_audit_page_states_its_criteria(client, org_a, members, body):
    audit = services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.RECERTIFICATION,
        title="Recertification 2027",
        certification_body=body,
        planned_start=date(2027, 3, 1),
        planned_end=date(2027, 3, 3),
        scope_sites="Data centre Pudong",
        scope_clauses=[clause("8.6.1")],
    )
    client.force_login(members[Role.VIEWER])
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    criteria = html[html.index('data-testid="audit-criteria"') :]
    for text in (org_a.name, "ISO/IEC 20000-1:2018", org_a.scope, "Data centre Pudong", "8.6.1"):
        assert text in criteria
    services.audit_update(audit=audit, actor=members[Role.ADMIN], scope_statement="Only payments")
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert "Only payments" in html[html.index('data-testid="audit-criteria"') :]


def test_the_opening_meeting_is_recorded_like_the_closing_meeting(
    client, org_a, audit, chen, members
):
    client.force_login(chen)
    today = org_a.local_today()
    future = client.post(
        url("opening_meeting", org_a, pk=audit.pk),
        {"held_on": (today + timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "cannot be in the future" in future.content.decode()
    response = client.post(url("opening_meeting", org_a, pk=audit.pk), {"held_on": today})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.opening_meeting_on, audit.status, audit.actual_start) == (
        today,
        "in_progress",
        today,
    )
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert today.isoformat() in html[html.index('data-testid="opening-meeting"') :][:200]
    early = client.post(
        url("closing_meeting", org_a, pk=audit.pk),
        {"held_on": (today - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "before the opening meeting" in early.content.decode()
    helper = UserFactory(email="helper@huaxin.example")
    services.assignment_add(audit=audit, actor=members[Role.ADMIN], user=helper)
    client.force_login(helper)  # not the lead
    assert (
        client.post(url("opening_meeting", org_a, pk=audit.pk), {"held_on": today}).status_code
        == 403
    )


@pytest.mark.parametrize(
    "language,texts",
    [
        ("en", ["No significant effect on the system.", "Other matters the auditee should note."]),
        ("zh-hans", ["对体系没有重大影响。", "受审核方应注意的其他事项。"]),
    ],
)
def test_the_grading_criteria_are_complete_as_the_seed_states(
    client, org_a, audit, chen, language, texts
):
    speak(client, language).force_login(chen)
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    criteria = html[html.index('data-testid="grading-criteria"') :]
    for text in texts:
        assert text in criteria


# --- Chinese terms ---------------------------------------------------------------------------


def test_the_audit_pages_use_the_chinese_terms(client, org_a, audit, chen, members):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    speak(client, "zh-hans").force_login(members[Role.ADMIN])
    detail = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    plan = client.get(url("audit_plan", org_a, pk=audit.pk)).content.decode()
    action = client.get(
        url("action_detail", org_a, pk=finding.corrective_action.pk)
    ).content.decode()
    create = client.get(url("audit_create", org_a)).content.decode()
    pages = detail + plan + action + create
    for term in ("审核发现描述", "类型", "答复期限", "添加审核日程", "引导人", "首次会议"):
        assert term in pages, term
    for avoided in ("场次", "陈述", "等级", "响应期限", "审核向导", "Planned start", "Planned end"):
        assert avoided not in pages, avoided


def test_plan_next_labels_its_dates_in_chinese(client, org_a, audit, members):
    speak(client, "zh-hans").force_login(members[Role.ADMIN])
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    form = html[html.index(url("plan_next", org_a, pk=audit.pk)) :]
    assert "计划开始" in form[:2000] and "计划结束" in form[:2000]
    assert "Planned start" not in html and "Planned end" not in html


# --- issue 9.12: after adding a plan session you return to the plan -------------------------


def test_adding_a_plan_session_returns_to_the_plan(client, org_a, audit, members):
    client.force_login(members[Role.ADMIN])
    response = client.post(
        url("session_create", org_a, pk=audit.pk),
        {
            "starts_at": "2026-11-02T09:00",
            "ends_at": "2026-11-02T10:30",
            "clause": clause("8.6.1").pk,
            "topic": "Incident management",
            "auditee": "Service desk lead",
            "location": "Room 3",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("audit_plan", org_a, pk=audit.pk)
    plan = client.get(response["Location"]).content.decode()
    assert "Incident management" in plan and "Service desk lead" in plan


def test_a_refused_session_keeps_what_was_typed_on_the_plan_page(client, org_a, audit, members):
    client.force_login(members[Role.ADMIN])
    response = client.post(
        url("session_create", org_a, pk=audit.pk),
        {
            "starts_at": "2026-11-02T11:00",
            "ends_at": "2026-11-02T10:00",
            "topic": "Change management walkthrough",
            "auditee": "Change manager",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="plan"' in html  # still on the plan page
    assert "ends before it starts" in html
    assert 'value="Change management walkthrough"' in html and 'value="Change manager"' in html
    assert not audit.sessions.exists()


# --- issue 9.8: the evidence of a corrective action is shown -----------------------------------


def test_the_evidence_of_a_corrective_action_is_shown_to_the_auditee_and_the_auditor(
    client, org_a, audit, chen, members
):
    from itsms.evidence import services as evidence_services
    from tests.test_evidence import pdf

    zhao = members[Role.CONTRIBUTOR]
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    action = CorrectiveAction.objects.get(finding=finding)
    proof = evidence_services.evidence_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        title="Closure checklist v2",
        kind="procedure",
        upload=pdf(),
    )
    client.force_login(zhao)
    page = url("action_detail", org_a, pk=action.pk)
    submitted = client.post(
        page,
        {
            "operation": "submit",
            "version": action.version,
            "root_cause": "No confirmation step",
            "plan": "Mandatory confirmation",
            "evidence": [proof.pk],
        },
    )
    assert submitted.status_code == 302
    after = client.get(page).content.decode()
    assert 'data-testid="answer-form"' not in after  # with the auditor: read-only now
    shown = after[after.index('data-testid="action-evidence"') :]
    assert "Closure checklist v2" in shown
    assert reverse("itsms:evidence_detail", kwargs={"org_slug": org_a.slug, "pk": proof.pk}) in (
        shown
    )
    client.force_login(chen)
    review = client.get(page).content.decode()
    assert "Accept the plan" in review
    assert "Closure checklist v2" in review[review.index('data-testid="action-evidence"') :]


# --- issue 9.11: references are unique within the organisation ---------------------------------


def test_findings_of_two_audits_have_different_references_on_the_dashboard(
    client, org_a, audit, chen, members
):
    other = services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.INTERNAL,
        title="Internal audit",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 6, 2),
    )
    services.assignment_add(audit=other, actor=members[Role.ADMIN], user=chen)
    first = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="a"
    )
    second = services.finding_record(
        audit=other, actor=chen, grade="major", clause=clause("8.5.1"), statement="b"
    )
    assert (audit.reference, other.reference) == ("A1", "A2")
    assert (first.reference, second.reference) == ("A1-F1", "A2-F1")
    held = org_a.local_today()
    services.closing_meeting_record(audit=audit, actor=chen, held_on=held)
    services.closing_meeting_record(audit=other, actor=members[Role.ADMIN], held_on=held)
    from itsms.assessment.services import gap_assessment_start

    gap_assessment_start(organization=org_a, actor=members[Role.ADMIN])
    client.force_login(members[Role.ADMIN])
    html = client.get(reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug})).content.decode()
    panel = html[html.index('data-testid="open-nonconformities"') :]
    assert ">A1-F1</a>" in panel and ">A2-F1</a>" in panel


def test_audit_numbers_are_per_organisation(org_a, org_b, members):
    other_admin = MembershipFactory(organization=org_b, role=Role.ADMIN).user
    kwargs = dict(kind=AuditKind.INTERNAL, title="x", planned_start=date(2026, 1, 5))
    kwargs["planned_end"] = date(2026, 1, 6)
    a1 = services.audit_create(organization=org_a, actor=members[Role.ADMIN], **kwargs)
    b1 = services.audit_create(organization=org_b, actor=other_admin, **kwargs)
    a2 = services.audit_create(organization=org_a, actor=members[Role.ADMIN], **kwargs)
    assert (a1.number, b1.number, a2.number) == (1, 1, 2)


# --- issue 12.1 through the pages: a late acceptance of a timely plan --------------------------


def test_a_plan_submitted_in_time_and_accepted_late_lets_certification_be_recommended(
    client, org_a, audit, chen, members
):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    held = org_a.local_today() - timedelta(days=60)
    Audit.objects.filter(pk=audit.pk).update(actual_start=held)
    audit.refresh_from_db()
    services.closing_meeting_record(audit=audit, actor=chen, held_on=held)
    action = CorrectiveAction.objects.get(finding=finding)
    zhao = members[Role.CONTRIBUTOR]
    action = services.action_update(action=action, actor=zhao, root_cause="r", plan="p")
    services.action_submit(action=action, actor=zhao)
    # Submitted on day 40 of 42; the auditor accepts it on day 60, after the deadline.
    CorrectiveAction.objects.filter(pk=action.pk).update(
        submitted_on=held + timedelta(days=40),
        submitted_at=datetime.combine(held + timedelta(days=40), datetime.min.time(), UTC),
    )
    client.force_login(zhao)
    html = client.get(url("audit_list", org_a)).content.decode()
    row = html[html.index(">A1-F1 8.6.1<") - 300 : html.index(">A1-F1 8.6.1<")]
    assert 'class="overdue"' not in row  # submitted in time: not overdue while it waits
    client.force_login(chen)
    page = url("action_detail", org_a, pk=action.pk)
    action.refresh_from_db()
    client.post(page, {"operation": "accept", "comment": "OK", "version": action.version})
    action.refresh_from_db()
    assert action.state == ActionState.ACCEPTED
    assert action.accepted_on > held + timedelta(days=42)  # after the deadline
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert "Certification can be recommended" in html
    assert "accepted after" not in html


def test_a_plan_submitted_late_is_overdue_and_holds_the_recommendation_back(
    client, org_a, audit, chen, members
):
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s"
    )
    held = org_a.local_today() - timedelta(days=50)
    Audit.objects.filter(pk=audit.pk).update(actual_start=held)
    audit.refresh_from_db()
    services.closing_meeting_record(audit=audit, actor=chen, held_on=held)
    action = CorrectiveAction.objects.get(finding=finding)
    zhao = members[Role.CONTRIBUTOR]
    action = services.action_update(action=action, actor=zhao, root_cause="r", plan="p")
    services.action_submit(action=action, actor=zhao)  # today: day 50 of 42
    client.force_login(zhao)
    html = client.get(url("action_detail", org_a, pk=action.pk)).content.decode()
    assert "after the deadline" in html and "overdue" in html
    client.force_login(chen)
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert "Certification cannot be recommended yet" in html
    assert "submitted after its deadline" in html


def test_an_area_of_concern_is_offered_in_a_stage_1_audit_only(client, org_a, audit, chen, members):
    client.force_login(chen)
    html = client.get(url("audit_detail", org_a, pk=audit.pk)).content.decode()
    assert 'value="concern"' not in html  # a stage 2 audit
    response = client.post(
        url("finding_create", org_a, pk=audit.pk),
        {"grade": "concern", "statement": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and not audit.findings.exists()


def test_an_outsider_never_reaches_the_new_audit_pages(client, org_a, audit, outsider):
    client.force_login(outsider)
    for name in ("opening_meeting", "closing_meeting", "session_create"):
        assert client.post(url(name, org_a, pk=audit.pk), {}).status_code == 404
    other = OrganizationFactory()
    assert client.get(url("audit_list", other)).status_code == 404
