"""Journey 4: the bank answers and keeps its certificate (Wang, admin; Zhao; Chen).

The stage 2 audit after its closing meeting (a minor nonconformity against 8.6.1 with its
corrective action due six weeks later; Chen its lead auditor) is the starting state. Zhao
writes the root-cause analysis and the plan and submits them with evidence; Chen accepts; the
audit page says certification can be recommended; Wang records the certificate and reads its
cycle, subscribes his calendar to the iCal feed, and enters a legacy 2011-edition certificate,
shown invalid since the transition cutoff with the reason.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from audits import services as audits
from audits.models import CertificationBody, CorrectiveAction
from certification.models import Certificate
from itsms.models import Clause, Role

from ..factories import MembershipFactory, OrganizationFactory, UserFactory
from ..test_evidence import approve, create
from .pages import Person, say

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "eager"),
]


@pytest.fixture
def bank(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganizationFactory(
        name="东港银行", slug="eastern-harbour-bank", time_zone="Asia/Shanghai", language="zh-hans"
    )
    people = {}
    for key, email, name, role in (
        ("wang", "wang@ehbank.example", "王芳", Role.ADMIN),
        ("zhao", "zhao@ehbank.example", "赵磊", Role.CONTRIBUTOR),
    ):
        people[key] = UserFactory(email=email, full_name=name)
        MembershipFactory(organization=org, user=people[key], role=role)
    people["chen"] = UserFactory(email="chen@huaxin.example", full_name="陈静")
    wang = people["wang"]
    incident = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    fix = create(org, people["zhao"], title="事件关闭检查单", clauses=[incident])
    approve(fix, wang)
    body = CertificationBody.objects.create(organization=org, name="华信认证")
    today = org.local_today()
    audit = audits.audit_create(
        organization=org,
        actor=wang,
        kind="stage2",
        title="第二阶段审核",
        certification_body=body,
        planned_start=today - timedelta(days=12),
        planned_end=today - timedelta(days=11),
        scope_clauses=[incident],
    )
    audits.assignment_add(audit=audit, actor=wang, user=people["chen"], role="lead")
    audits.finding_record(
        audit=audit,
        actor=people["chen"],
        grade="minor",
        clause=incident,
        statement="三月份有两起 P1 事件在未获得客户确认的情况下关闭",
    )
    audit = audits.closing_meeting_record(
        audit=audit, actor=people["chen"], held_on=today - timedelta(days=11)
    )
    return org, people, audit, fix, body


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_journey_4_the_bank_answers_and_keeps_its_certificate(browser, live_server, bank, language):
    org, people, audit, fix, body = bank
    action = CorrectiveAction.objects.get(organization=org)
    action_path = f"/o/{org.slug}/corrective-actions/{action.pk}/"

    # 1. Zhao writes the root cause and the plan and submits them with evidence.
    zhao = Person(browser, live_server, language, "j4-zhao")
    zhao.sign_in(people["zhao"].email)
    zhao.goto(action_path)
    expect(zhao.page.get_by_test_id("action-deadline")).to_contain_text(
        (audit.closing_meeting_on + timedelta(weeks=6)).isoformat()
    )
    answer = zhao.page.get_by_test_id("answer-form")
    correction = say(
        language, "Both incidents reopened and confirmed", "两起事件已重新打开并经客户确认"
    )
    root_cause = say(
        language,
        "The closure step did not require the customer's confirmation",
        "关闭步骤未要求客户确认",
    )
    plan = say(
        language,
        "Closure checklist with a mandatory confirmation field; monthly sampling",
        "关闭检查单增加必填的客户确认项；每月抽样检查",
    )
    zhao.type(answer.locator("[name=correction]"), correction)
    zhao.type(answer.locator("[name=root_cause]"), root_cause)
    zhao.type(answer.locator("[name=plan]"), plan)
    answer.locator("[name=target_date]").fill("2027-02-28")
    answer.locator("[name=evidence]").select_option(str(fix.pk))
    zhao.shot("answer")
    answer.locator('button[value="submit"]').click()
    expect(zhao.page.get_by_test_id("action-submitted")).to_be_visible()
    zhao.shot("submitted")

    # 2. Chen accepts; the audit page says certification can be recommended, with the reasons.
    chen = Person(browser, live_server, language, "j4-chen")
    chen.sign_in(people["chen"].email)
    chen.goto(action_path)
    expect(chen.page.get_by_test_id("action-evidence")).to_contain_text(fix.title)
    chen.page.locator('form.review button[value="accept"]').click()
    expect(chen.page.locator('form.review button[value="accept"]')).to_have_count(0)
    chen.goto(f"/o/{org.slug}/audits/{audit.pk}/")
    outcome = chen.page.get_by_test_id("outcome")
    expect(outcome).to_have_class(re.compile(r"\byes\b"))
    expect(outcome.locator("li").first).to_be_visible()
    chen.shot("recommended")

    # 3. Wang records the certificate; its page shows the three-year cycle.
    wang = Person(browser, live_server, language, "j4-wang")
    wang.sign_in(people["wang"].email)
    wang.goto(f"/o/{org.slug}/certificates/new/")
    form = wang.page.locator("main form[method=post]")
    decision = org.local_today() - timedelta(days=1)
    scope = say(
        language,
        "IT services supporting retail banking, Shanghai data centre",
        "支持零售银行业务的 IT 服务，上海数据中心",
    )
    form.locator("[name=edition]").select_option("2018")
    wang.type(form.locator("[name=number]"), "HX-ITSM-2026-0042")
    wang.type(form.locator("[name=scope]"), scope)
    form.locator("[name=certification_body]").select_option(str(body.pk))
    form.locator("[name=decision_date]").fill(decision.isoformat())
    wang.shot("certificate-form")
    form.locator("button[type=submit]").click()
    cycle = wang.page.get_by_test_id("cycle")
    expect(cycle).to_be_visible()
    certificate = Certificate.objects.get(organization=org, number="HX-ITSM-2026-0042")
    surveillance1 = decision.replace(year=decision.year + 1)
    expect(cycle).to_contain_text(str(surveillance1.year))
    expect(cycle).to_contain_text(certificate.expires_on.isoformat())
    wang.shot("certificate-cycle")

    # 4. His calendar: the iCal feed holds the surveillance deadlines.
    wang.goto("/account/reminders/")
    wang.page.locator('form[action$="/account/reminders/feed/"] button').click()
    feed = wang.page.get_by_test_id("feed-url")
    expect(feed).to_be_visible()
    url = feed.text_content().strip()
    path = url[url.index("/calendar/") :]
    ics = wang.context.request.get(wang.url + path)
    assert ics.ok
    assert "BEGIN:VCALENDAR" in ics.text()
    assert certificate.expires_on.strftime("%Y%m%d") in ics.text() or "VEVENT" in ics.text()
    wang.shot("calendar-feed")

    # 5. A legacy 2011 certificate entered for history: invalid since the cutoff, with why.
    wang.goto(f"/o/{org.slug}/certificates/new/")
    form = wang.page.locator("main form[method=post]")
    form.locator("[name=edition]").select_option("2011")
    wang.type(form.locator("[name=number]"), "HX-ITSM-2019-0007")
    wang.type(form.locator("[name=scope]"), say(language, "Data centre operations", "数据中心运营"))
    form.locator("[name=decision_date]").fill("2019-05-20")
    form.locator("button[type=submit]").click()
    state = wang.page.get_by_test_id("validity")
    expect(state).to_be_visible()
    legacy = Certificate.objects.get(organization=org, number="HX-ITSM-2019-0007")
    assert not legacy.validity(org.local_today()).valid
    with translation.override(language):
        reason = str(legacy.validity(org.local_today()).reason)
    expect(state).to_contain_text(reason)
    expect(state).to_contain_text("2021-09-15")  # the transition cutoff
    # History, not a to-do: nothing of an invalid certificate's cycle is flagged overdue.
    expect(wang.page.get_by_test_id("cycle").locator(".overdue-badge")).to_have_count(0)
    wang.shot("legacy-2011")
    for person in (zhao, chen, wang):
        person.no_server_errors()

    # Everything typed landed where it was typed.
    action.refresh_from_db()
    assert (action.correction, action.root_cause, action.plan) == (correction, root_cause, plan)
    assert action.target_date == date(2027, 2, 28)
    assert list(action.evidence.all()) == [fix]
    assert action.state == "accepted"
    assert (certificate.edition, certificate.scope, certificate.decision_date) == (
        "2018",
        scope,
        decision,
    )
    assert certificate.certification_body == body
    assert legacy.edition == "2011"
    for person in (zhao, chen, wang):
        person.close()
