"""Journey 5: management looks (Ms Zhou, CIO, viewer), in the browser.

The bank as the earlier journeys left it (an assessment under way, a stage 2 audit with an
open minor nonconformity after its closing meeting, a surveillance audit planned) is the
starting state. Zhou signs in, switches to her language, opens the bank's dashboard (readiness
overall and per chapter, the open nonconformities with their deadline, the next audit),
downloads the readiness report and finds nothing she can change.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from audits import services as audits
from audits.models import Audit, CertificationBody, Finding
from itsms.assessment import services as gap
from itsms.assessment.selectors import readiness_of
from itsms.models import ClauseAssessment, Role, Status

from ..factories import MembershipFactory, OrganizationFactory, UserFactory
from .pages import Person, pdf_text, say

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "eager"),
]


@pytest.fixture
def bank(db):
    org = OrganizationFactory(
        name="东港银行", slug="eastern-harbour-bank", time_zone="Asia/Shanghai", language="zh-hans"
    )
    wang = UserFactory(email="wang@ehbank.example", full_name="王芳")
    zhou = UserFactory(email="zhou@ehbank.example", full_name="周敏")
    MembershipFactory(organization=org, user=wang, role=Role.ADMIN)
    MembershipFactory(organization=org, user=zhou, role=Role.VIEWER)
    gap.gap_assessment_start(organization=org, actor=wang)
    rows = ClauseAssessment.objects.filter(organization=org).order_by("clause__order")
    for index, row in enumerate(rows):
        status = [Status.IMPLEMENTED, Status.PARTIAL, Status.PLANNED][index % 3]
        gap.assessment_update(assessment=row, actor=wang, status=status, maturity=index % 5 + 1)
    today = org.local_today()
    body = CertificationBody.objects.create(organization=org, name="华信认证")
    stage2 = audits.audit_create(
        organization=org,
        actor=wang,
        kind="stage2",
        title="第二阶段审核",
        certification_body=body,
        planned_start=today - timedelta(days=10),
        planned_end=today - timedelta(days=8),
    )
    audits.finding_record(
        audit=stage2,
        actor=wang,
        grade="minor",
        clause=rows.get(clause__number="8.6.1").clause,
        statement="三月份有两起 P1 事件在未经客户确认的情况下关闭",
    )
    audits.closing_meeting_record(audit=stage2, actor=wang, held_on=today - timedelta(days=8))
    audits.audit_create(
        organization=org,
        actor=wang,
        kind="surveillance",
        title="第一次监督审核",
        certification_body=body,
        planned_start=today + timedelta(days=300),
        planned_end=today + timedelta(days=301),
    )
    return org, zhou


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_journey_5_management_looks(browser, live_server, bank, language):
    org, zhou_user = bank
    before = {
        "assessments": list(
            ClauseAssessment.objects.filter(organization=org).values_list("pk", "version")
        ),
        "audits": list(Audit.objects.filter(organization=org).values_list("pk", "version")),
    }
    zhou = Person(browser, live_server, language, "j5-zhou")

    # 1. She signs in, opens the bank and its dashboard.
    zhou.sign_in(zhou_user.email)
    zhou.page.locator(f'main a[href="/o/{org.slug}/"]').first.click()
    expect(zhou.page.get_by_test_id("current-org")).to_contain_text(org.name)
    zhou.menu("dashboard/")
    score = readiness_of(org)
    expect(zhou.page.get_by_test_id("overall")).to_contain_text(f"{score.overall_percent} %")
    chapters = zhou.page.get_by_test_id("evidenced").locator("tbody tr")
    expect(chapters).to_have_count(7)
    for row, (number, pct) in zip(chapters.all(), score.chapters(), strict=True):
        expect(row.locator("th")).to_contain_text(number)
        expect(row.locator("td").first).to_have_text(f"{pct} %")
    finding = Finding.objects.get(organization=org)
    ncs = zhou.page.get_by_test_id("open-nonconformities")
    expect(zhou.page.get_by_test_id("nc-counts")).to_contain_text(say(language, "1 minor", "1"))
    assert finding.response_deadline
    expect(ncs).to_contain_text(f"{finding.reference}")
    expect(ncs).to_contain_text(finding.response_deadline.isoformat())
    expect(zhou.page.get_by_test_id("next-audit")).to_contain_text("第一次监督审核")
    zhou.shot("dashboard")
    zhou.page.get_by_test_id("open-nonconformities").scroll_into_view_if_needed()
    zhou.shot("dashboard-audits")

    # 2. The readiness report, in the organisation's language.
    pdf = zhou.download(zhou.page.locator('a[href$="/dashboard/report.pdf"]'), "readiness.pdf")
    text = pdf_text(pdf)
    assert org.name in text
    assert f"{score.overall_percent} %" in text

    # She can change nothing: the assessment is shown without a field, the members page
    # without an invitation, the audit without an action.
    zhou.menu("assessment/")
    expect(zhou.page.locator('[data-clause="8.6.1"]')).to_be_visible()
    expect(zhou.page.locator("[data-clause] select, [data-clause] input, textarea")).to_have_count(
        0
    )
    expect(zhou.page.locator('form[action$="/assessment/bulk-assign/"]')).to_have_count(0)
    expect(zhou.page.get_by_test_id("read-only")).to_be_visible()  # not "changes save as you go"
    zhou.shot("assessment-read-only")
    zhou.menu("members/")
    expect(zhou.page.locator("main [name=email]")).to_have_count(0)
    zhou.menu("audits/")
    expect(zhou.page.locator('main a[href$="/audits/new/"]')).to_have_count(0)
    zhou.shot("audits-read-only")
    zhou.no_server_errors()

    after = {
        "assessments": list(
            ClauseAssessment.objects.filter(organization=org).values_list("pk", "version")
        ),
        "audits": list(Audit.objects.filter(organization=org).values_list("pk", "version")),
    }
    assert after == before
    zhou.close()
