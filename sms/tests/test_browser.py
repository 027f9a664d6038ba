"""Journey 6 in Chromium, in English and in Chinese: Wang records a risk with its treatment and
an action, finds it on the heat map, sets an objective measured by the KPI, lists the
data-centre operator with its contract, records an opportunity for improvement; every value
typed lands where it was typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from itsms.models import Role
from processes import services as processes
from processes.models import ProcessInstance
from sms.models import Agreement, Improvement, Objective, Risk, Supplier
from tests.factories import PASSWORD
from tests.test_browser import SHOTS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]

TEXT = {
    "en": {
        "risk": "Ransomware on the core banking servers",
        "cause": "Unpatched servers and phishing",
        "action": "Roll out endpoint detection",
        "objective": "Resolve P1 incidents within 4 hours",
        "supplier": "Harbour Data Centre Co.",
        "contract": "Colocation contract",
        "saved": "saved",
        "heat": "Risk heat map",
        "improvement": "Automate the change calendar collision check",
        "evaluation": "High benefit, low cost",
        "decision": "Build it before stage 2",
    },
    "zh-hans": {
        "risk": "核心银行服务器遭勒索软件攻击",
        "cause": "服务器未打补丁及网络钓鱼",
        "action": "部署终端检测",
        "objective": "四小时内解决 P1 事件",
        "supplier": "港湾数据中心有限公司",
        "contract": "机房托管合同",
        "saved": "已保存",
        "heat": "风险热力图",
        "improvement": "自动检查变更日历冲突",
        "evaluation": "收益高，成本低",
        "decision": "第二阶段审核前完成",
    },
}


def submit(page, testid="record-form"):
    page.get_by_test_id(testid).locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_wang_records_the_banks_risks_objectives_and_suppliers(
    page, live_server, org_a, members, language
):
    text = TEXT[language]
    wang, zhao = members[Role.ADMIN], members[Role.CONTRIBUTOR]
    processes.process_instances_ensure(org_a)
    incident = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")
    kpi = processes.kpi_create(
        process=incident,
        actor=wang,
        name="P1 incidents resolved within 4 h",
        target=Decimal("95"),
        unit="%",
    )
    processes.kpi_value_record(kpi=kpi, actor=wang, period_start=date(2026, 1, 1), value=93)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    sign_in(page, live_server, wang.email)
    base = f"{live_server.url}/o/{org_a.slug}/sms"
    SHOTS.mkdir(exist_ok=True)

    # A risk with its treatment.
    page.goto(f"{base}/risks/new/")
    page.locator("#id_kind").select_option("risk")
    page.locator("#id_category").select_option("information_security")
    page.locator("#id_title").fill(text["risk"])
    page.locator("#id_cause").fill(text["cause"])
    page.locator("#id_likelihood").select_option("3")
    page.locator("#id_impact").select_option("5")
    page.locator("#id_treatment").select_option("reduce")
    page.locator("#id_owner").select_option(str(zhao.pk))
    page.locator("#id_review_by").fill("2027-05-10")
    page.locator("#id_processes").select_option(str(incident.pk))
    page.screenshot(path=str(SHOTS / f"sms-risk-form-{language}.png"), full_page=True)
    submit(page)
    expect(page.get_by_role("status")).to_contain_text(text["saved"])
    expect(page.get_by_test_id("scores")).to_contain_text("15")
    page.locator("#id_description").fill(text["action"])
    page.locator("#id_due_date").fill("2027-03-01")
    submit(page, "action-form")
    expect(page.get_by_test_id("actions")).to_contain_text(text["action"])
    page.screenshot(path=str(SHOTS / f"sms-risk-{language}.png"), full_page=True)
    risk = Risk.objects.get(organization=org_a)
    assert (risk.title, risk.cause, risk.likelihood, risk.impact, risk.owner) == (
        text["risk"],
        text["cause"],
        3,
        5,
        zhao,
    )
    assert (
        list(risk.processes.all()) == [incident]
        and risk.actions.get().description == (text["action"])
    )

    page.goto(f"{base}/risks/heat-map/")
    expect(page.locator("h1")).to_contain_text(text["heat"])
    cell = page.get_by_test_id("heatmap-inherent").locator("td.level-high a")
    expect(cell).to_have_text("1")
    page.screenshot(path=str(SHOTS / f"sms-heatmap-{language}.png"), full_page=True)
    cell.click()
    expect(page.get_by_test_id("risks")).to_contain_text(text["risk"])

    # An objective measured by the KPI.
    page.goto(f"{base}/objectives/new/")
    page.locator("#id_title").fill(text["objective"])
    page.locator("#id_kpi").select_option(str(kpi.pk))
    page.locator("#id_due_date").fill("2027-06-30")
    page.locator("#id_status").select_option("in_progress")
    submit(page)
    expect(page.get_by_test_id("current-value")).to_contain_text("93%")
    page.screenshot(path=str(SHOTS / f"sms-objective-{language}.png"), full_page=True)
    assert Objective.objects.get(organization=org_a).kpi == kpi

    # The data-centre operator and its contract.
    page.goto(f"{base}/suppliers/new/")
    page.locator("#id_title").fill(text["supplier"])
    page.locator("#id_kind").select_option("external_supplier")
    submit(page)
    supplier = Supplier.objects.get(organization=org_a)
    page.goto(f"{base}/agreements/new/?supplier={supplier.pk}")
    page.locator("#id_title").fill(text["contract"])
    page.locator("#id_kind").select_option("contract")
    page.locator("#id_review_by").fill("2027-01-15")
    submit(page)
    expect(page.get_by_test_id("agreement")).to_contain_text(text["supplier"])
    # An opportunity for improvement from the internal audit, evaluated and approved.
    page.goto(f"{base}/improvements/new/")
    page.locator("#id_title").fill(text["improvement"])
    page.locator("#id_source").select_option("audit")
    page.locator("#id_evaluation").fill(text["evaluation"])
    page.locator("#id_benefit").select_option("high")
    page.locator("#id_decision").fill(text["decision"])
    page.locator("#id_target_date").fill("2027-02-28")
    page.locator("#id_status").select_option("approved")
    submit(page)
    expect(page.get_by_test_id("evaluation")).to_contain_text(text["decision"])
    page.screenshot(path=str(SHOTS / f"sms-improvement-{language}.png"), full_page=True)
    page.goto(f"{base}/improvements/")
    expect(page.get_by_test_id("improvements")).to_contain_text(text["improvement"])
    page.screenshot(path=str(SHOTS / f"sms-improvements-{language}.png"), full_page=True)
    ofi = Improvement.objects.get(organization=org_a)
    assert (ofi.title, ofi.evaluation, ofi.decision, ofi.status, ofi.target_date) == (
        text["improvement"],
        text["evaluation"],
        text["decision"],
        "approved",
        date(2027, 2, 28),
    )

    page.goto(f"{base}/")
    page.screenshot(path=str(SHOTS / f"sms-overview-{language}.png"), full_page=True)
    contract = Agreement.objects.get(organization=org_a)
    assert (contract.title, contract.supplier, contract.review_by) == (
        text["contract"],
        supplier,
        date(2027, 1, 15),
    )


def sign_in(page, live_server, email):
    """The sign-in form, in whichever language the cookie set."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
