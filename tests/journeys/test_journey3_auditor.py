"""Journey 3: the auditor runs the audit (Chen, lead auditor at Huaxin Certification).

The bank ready for its stage 2 audit (the audit planned with its sessions, the incident report
approved as evidence of 8.6.1) is the starting state; another organisation exists beside it.
Wang invites Chen from the audit page; Chen follows the link of her email, reads the plan and,
read-only, the bank's SMS; on a tablet she records a minor nonconformity against 8.6.1 with the
incident report as objective evidence and an observation on 8.7.1, beside the grading
criteria; she records the closing meeting, and every nonconformity shows its response
deadline six weeks later; she downloads the report. She cannot open the other organisation,
nor this bank once Wang ends her assignment.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from audits import services as audits
from audits.models import Audit, AuditAssignment, CertificationBody, Finding
from itsms.assessment import services as gap
from itsms.models import Clause, Role

from ..factories import MembershipFactory, OrganizationFactory, UserFactory
from ..test_evidence import approve, create
from .pages import TABLET, Person, pdf_text, say

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "eager"),
]


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


@pytest.fixture
def bank(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganizationFactory(
        name="东港银行", slug="eastern-harbour-bank", time_zone="Asia/Shanghai", language="zh-hans"
    )
    OrganizationFactory(name="Other Bank", slug="other-bank")
    wang = UserFactory(email="wang@ehbank.example", full_name="王芳")
    MembershipFactory(organization=org, user=wang, role=Role.ADMIN)
    gap.gap_assessment_start(organization=org, actor=wang)
    report = create(org, wang, title="2026 年第三季度事件报告", clauses=[clause("8.6.1")])
    approve(report, wang)
    body = CertificationBody.objects.create(organization=org, name="华信认证")
    today = org.local_today()
    audit = audits.audit_create(
        organization=org,
        actor=wang,
        kind="stage2",
        title="第二阶段审核",
        certification_body=body,
        planned_start=today - timedelta(days=1),
        planned_end=today,
        scope_clauses=[clause("8.6.1"), clause("8.7.1")],
    )
    start = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    for hours, number, topic, auditee, room in (
        (1, "8.6.1", "事件管理", "赵磊", "301 会议室"),
        (3, "8.7.1", "服务可用性管理", "王芳", "302 会议室"),
    ):
        audits.session_add(
            audit=audit,
            actor=wang,
            starts_at=start + timedelta(hours=hours),
            ends_at=start + timedelta(hours=hours + 1),
            clause=clause(number),
            topic=topic,
            auditee=auditee,
            location=room,
        )
    return org, wang, audit, report


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_journey_3_the_auditor_runs_the_audit(browser, live_server, bank, language):
    org, wang_user, audit, report = bank
    audit_path = f"/o/{org.slug}/audits/{audit.pk}/"

    # 1. Wang invites Chen to this audit only; the link of her email is valid for 14 days.
    wang = Person(browser, live_server, language, "j3-wang")
    wang.sign_in(wang_user.email)
    wang.goto(audit_path)
    assign = wang.page.locator(f'form[action$="/audits/{audit.pk}/assign/"]')
    wang.type(assign.locator("[name=email]"), "chen@huaxin.example")
    assign.locator("[name=role]").select_option("lead")
    assign.locator("button[type=submit]").click()
    expect(wang.page.get_by_role("status").first).to_contain_text("chen@huaxin.example")
    wang.shot("invited")
    message = next(m for m in reversed(mail.outbox) if "chen@huaxin.example" in m.to)
    link = message.body.split("/audit-invitations/")[1].split()[0]
    expires = (org.local_today() + timedelta(days=14)).isoformat()
    assert expires in message.body

    chen = Person(browser, live_server, language, "j3-chen", viewport=TABLET)
    chen.goto(f"/audit-invitations/{link}")
    chen.switch_language()
    signup = chen.page.locator("main form")
    chen.type(signup.locator("[name=full_name]"), say(language, "Chen Jing", "陈静"))
    chen.type(signup.locator("[name=password1]"), "chen-audits-carefully-2026")
    chen.type(signup.locator("[name=password2]"), "chen-audits-carefully-2026")
    chen.shot("accept")
    signup.locator("button[type=submit]").click()
    expect(chen.page.get_by_test_id("current-org")).to_contain_text(org.name)

    # 2. The plan, and the bank's SMS read-only.
    chen.goto(f"{audit_path}plan/")
    for text in ("事件管理", "赵磊", "301 会议室", "8.7.1", "302 会议室"):
        expect(chen.page.locator("main")).to_contain_text(text)
    chen.shot("plan")
    chen.menu("assessment/")
    expect(chen.page.locator('[data-clause="8.6.1"]')).to_be_visible()
    expect(chen.page.locator("[data-clause] select, [data-clause] textarea")).to_have_count(0)
    chen.menu("evidence/")
    expect(chen.page.get_by_test_id("evidence-register")).to_contain_text(report.title)
    chen.shot("sms-read-only")

    # 3. On the tablet: a minor nonconformity with its evidence, then an observation.
    chen.goto(audit_path)
    statement = say(
        language,
        "Two P1 incidents in March closed without the required customer confirmation",
        "三月份有两起 P1 事件在未获得所要求的客户确认的情况下关闭",
    )
    observation = say(
        language,
        "Availability targets are not yet reviewed with the customer",
        "尚未与客户一起评审可用性目标",
    )
    for grade, number, text, evidence in (
        ("minor", "8.6.1", statement, report),
        ("observation", "8.7.1", observation, None),
    ):
        form = chen.page.get_by_test_id("finding-form")
        expect(chen.page.get_by_test_id("grading-criteria")).to_be_visible()
        form.locator(f'[name=grade][value="{grade}"]').check()
        form.locator("[name=clause]").select_option(str(clause(number).pk))
        chen.type(form.locator("[name=statement]"), text)
        if evidence:
            form.locator("[name=evidence]").select_option(str(evidence.pk))
        chen.shot(f"finding-{grade}")
        with chen.page.expect_response(lambda r: r.request.method == "POST"):
            form.locator("button[type=submit]").click()
        expect(chen.page.get_by_test_id("findings")).to_contain_text(text)

    # 4. The closing meeting: every nonconformity shows its deadline six weeks later.
    held = org.local_today()
    closing = chen.page.get_by_test_id("closing-form")
    closing.locator("[name=held_on]").fill(held.isoformat())
    closing.locator("button[type=submit]").click()
    deadline = (held + timedelta(weeks=6)).isoformat()
    expect(chen.page.get_by_test_id("closing-meeting")).to_contain_text(held.isoformat())
    expect(chen.page.get_by_test_id("closing-meeting")).to_contain_text(deadline)
    minor_row = chen.page.get_by_test_id("findings").locator("tbody tr").filter(has_text=statement)
    expect(minor_row.get_by_test_id("deadline")).to_have_text(deadline)
    chen.shot("closing-meeting")

    # 5. The report, then no other organisation, and nothing once the assignment ends.
    pdf = chen.download(chen.page.locator('a[href$="/report.pdf"]').first, "audit-report.pdf")
    text = pdf_text(pdf)
    assert "8.6.1" in text
    assert statement.split()[0] in text or statement[:6] in text
    response = chen.page.goto(chen.url + "/o/other-bank/")
    assert response.status in (403, 404)
    wang.goto(audit_path)
    wang.page.get_by_test_id("team").locator("form button").first.click()
    expect(wang.page.get_by_test_id("team")).not_to_contain_text(say(language, "Chen Jing", "陈静"))
    response = chen.page.goto(chen.url + audit_path)
    assert response.status in (403, 404)
    chen.shot("after-assignment")
    wang.no_server_errors()
    chen.no_server_errors()

    # Everything typed landed where it was typed.
    audit = Audit.objects.get(pk=audit.pk)
    assert audit.closing_meeting_on == held
    minor = Finding.objects.get(audit=audit, grade="minor")
    assert (minor.clause.number, minor.statement) == ("8.6.1", statement)
    assert list(minor.evidence.all()) == [report]
    assert minor.response_deadline.isoformat() == deadline
    assert minor.recorded_by.email == "chen@huaxin.example"
    obs = Finding.objects.get(audit=audit, grade="observation")
    assert (obs.clause.number, obs.statement) == ("8.7.1", observation)
    assignment = AuditAssignment.objects.get(audit=audit, user__email="chen@huaxin.example")
    assert assignment.role == "lead"
    assert assignment.ended_at is not None
    chen.close()
    wang.close()
