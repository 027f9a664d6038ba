"""Journey 1: the consultant (Li, Northbridge) takes on a new client, in the browser.

She signs in, creates the bank, invites Wang (admin) and Zhao (contributor), walks the whole
gap assessment from the keyboard, gives chapter 8.6 to Zhao, reads the readiness dashboard,
downloads the gap-analysis PDF and fills the certification project. Then every value she typed
is read back from the database and the history, on the row it was typed on.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from certification.models import CertificationProject
from itsms.assessment.selectors import readiness_of
from itsms.models import ClauseAssessment, Invitation, Membership, Organization, Role, Status

from ..test_assessment_keyboard import choose, date_keys, option_values, tab_to
from .pages import Person, invitation_link, pdf_text, say

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "eager"),
]

STATUSES = [Status.IMPLEMENTED, Status.PARTIAL, Status.PLANNED, Status.NOT_STARTED]


def plan_for(index, number, language):
    """What Li sets on the clause at ``index``: every field of every row."""
    return {
        "status": str(STATUSES[index % 4]),
        "maturity": str(index % 5 + 1),
        "target_date": (date(2027, 3, 1) + timedelta(days=2 * index)).isoformat(),
        "notes": say(language, f"Gap {number}", f"差距 {number}"),
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_journey_1_the_consultant_takes_on_a_new_client(
    browser, one_request_at_a_time, people, language
):
    live_server = one_request_at_a_time
    li = Person(browser, live_server, language, "j1-li")

    # 1. Li signs in and lands on her portfolio.
    li.sign_in(people["li"].email)
    expect(li.page.locator('a[href$="/organizations/new/"]').first).to_be_visible()
    li.shot("portfolio-empty")

    # 2. She creates the bank and invites Wang as admin and Zhao as contributor.
    bank_name = say(language, "Eastern Harbour Bank", "东港银行")
    scope = say(
        language,
        "IT services supporting retail banking, Shanghai data centre",
        "支持零售银行业务的 IT 服务，上海数据中心",
    )
    li.page.locator('a[href$="/organizations/new/"]').first.click()
    form = li.page.locator("main form")
    li.type(form.locator("[name=name]"), bank_name)
    slug = form.locator("[name=slug]")
    slug.fill("")
    li.type(slug, "eastern-harbour-bank")
    form.locator("[name=time_zone]").select_option("Asia/Shanghai")
    form.locator("[name=language]").select_option("zh-hans")
    li.type(form.locator("[name=scope]"), scope)
    li.shot("new-client")
    form.locator("button[type=submit]").click()
    expect(li.page.get_by_test_id("current-org")).to_contain_text(bank_name)
    li.shot("client-created")

    li.menu("members/")
    invite = li.page.locator("main form[method=post]").filter(has=li.page.locator("[name=email]"))
    for email, role in (("wang@ehbank.example", "admin"), ("zhao@ehbank.example", "contributor")):
        li.type(invite.locator("[name=email]"), email)
        invite.locator("[name=role]").select_option(role)
        invite.locator("button[type=submit]").click()
        expect(li.page.get_by_role("status").first).to_contain_text(email)
    li.shot("invited")

    # Zhao follows the link of his email and creates his account.
    zhao = Person(browser, live_server, language, "j1-zhao")
    zhao.goto(invitation_link(mail.outbox, "zhao@ehbank.example"))
    zhao.switch_language()
    signup = zhao.page.locator("main form")
    zhao.type(signup.locator("[name=full_name]"), say(language, "Zhao Lei", "赵磊"))
    zhao.type(signup.locator("[name=password1]"), "zhao-strong-passphrase-2026")
    zhao.type(signup.locator("[name=password2]"), "zhao-strong-passphrase-2026")
    zhao.shot("signup")
    signup.locator("button[type=submit]").click()
    expect(zhao.page.get_by_test_id("current-org")).to_contain_text(bank_name)
    zhao.shot("joined")

    # 3. The gap assessment, all requirement clauses, from the keyboard.
    li.menu("assessment/")
    li.page.locator('form[action$="/assessment/start/"] button').click()
    root = li.page.locator("[data-assessment]")
    expect(root).to_have_attribute("data-pending", "0")
    expect(li.page.locator('form[data-clause="8.2.5"] .chip.new')).to_be_visible()
    expect(li.page.locator("#clause-7\\.5 .chip.cother")).to_contain_text("27001 7.5")
    numbers = li.page.eval_on_selector_all(
        "form[data-clause]", "forms => forms.map(f => f.dataset.clause)"
    )
    headings = li.page.locator(".arow.heading").count()
    assert len(numbers) + headings == 77, (len(numbers), headings)
    plans = {n: plan_for(i, n, language) for i, n in enumerate(numbers)}
    keys = date_keys(li.page)
    first = "a-" + numbers[0].replace(".", "-")
    statuses = option_values(li.page, f"{first}-status")
    owners = option_values(li.page, f"{first}-owner")
    li_option = owners.index(str(people["li"].pk))
    li.page.focus(f"#{first}-status")
    for index, number in enumerate(numbers):
        key = "a-" + number.replace(".", "-")
        plan = plans[number]
        if index:
            tab_to(li.page, f"{key}-status")
        choose(li.page, statuses.index(plan["status"]))
        tab_to(li.page, f"{key}-maturity")
        li.page.keyboard.press(plan["maturity"])  # a select jumps to the option typed
        tab_to(li.page, f"{key}-owner")
        choose(li.page, li_option)
        tab_to(li.page, f"{key}-target_date")
        li.page.keyboard.type(keys(plan["target_date"]))
        tab_to(li.page, f"{key}-other_party")
        tab_to(li.page, f"{key}-notes")
        li.page.keyboard.type(plan["notes"])
    li.page.keyboard.press("Tab")
    expect(root).to_have_attribute("data-pending", "0", timeout=30_000)
    expect(root).to_have_attribute("data-failed", "0")
    expect(li.page.locator("[data-row-message].error")).to_have_count(0)
    li.shot("assessment-walked")

    # 4. Chapter 8.6 goes to Zhao.
    bulk = li.page.locator('form[action$="/assessment/bulk-assign/"]')
    heading = bulk.locator("[name=heading]")
    value = heading.evaluate(
        "s => Array.from(s.options).find(o => o.text.startsWith('8.6 ')).value"
    )
    heading.select_option(value)
    bulk.locator("[name=owner]").select_option(label=say(language, "Zhao Lei", "赵磊"))
    bulk.locator("button[type=submit]").click()
    expect(li.page.locator('form[data-clause="8.6.1"] [name=owner]')).to_have_value(
        str(Membership.objects.get(user__email="zhao@ehbank.example").user_id)
    )
    li.shot("chapter-assigned")

    # 5. The readiness dashboard and the gap-analysis PDF.
    li.menu("dashboard/")
    org = Organization.objects.get(slug="eastern-harbour-bank")
    score = readiness_of(org)
    expect(li.page.get_by_test_id("overall")).to_contain_text(f"{score.overall_percent} %")
    li.shot("dashboard")
    pdf = li.download(li.page.locator('a[href$="/dashboard/report.pdf"]'), "readiness.pdf")
    text = pdf_text(pdf)
    assert bank_name in text
    assert "8.6.1" in text

    # 6. The certification project: the body, stage 1, the first step's checklist and owner.
    li.menu("certification/")
    li.page.locator('form[action$="/certification/start/"] button').click()
    expect(li.page.get_by_test_id("step-6")).to_be_visible()
    li.page.get_by_test_id("bodies").locator("a").click()
    body = li.page.locator("main form")
    body_name = say(language, "Huaxin Certification", "华信认证")
    li.type(body.locator("[name=name]"), body_name)
    li.type(body.locator("[name=accreditation]"), "CNAS C001-M")
    body.locator("button[type=submit]").click()
    project_form = li.page.locator('form[action$="/certification/edit/"]')
    expect(project_form.locator("[name=certification_body] option:checked")).to_have_text(body_name)
    project_form.locator("[name=target_stage1]").fill("2027-06-14")
    project_form.locator("[name=target_certificate]").fill("2027-09-30")
    project_form.locator("button[type=submit]").click()
    expect(li.page.get_by_test_id("where")).to_be_visible()
    step1 = li.page.get_by_test_id("step-1")
    checks = step1.locator("button.check")
    for i in range(checks.count()):
        with li.page.expect_response(lambda r: r.request.method == "POST"):
            step1.locator("button.check").nth(i).click()
    expect(step1.locator('button.check[aria-pressed="false"]')).to_have_count(0)
    step1.locator("details summary").click()
    step_form = step1.locator("form").filter(has=li.page.locator("[name=due_date]"))
    step_form.locator("[name=owner]").select_option(str(people["li"].pk))
    step_form.locator("[name=due_date]").fill("2027-01-15")
    step_note = say(language, "Steering committee agreed the scope", "指导委员会已确认范围")
    li.type(step_form.locator("[name=notes]"), step_note)
    step_form.locator("button[type=submit]").click()
    expect(li.page.get_by_test_id("step-1")).to_contain_text("2027-01-15")
    expect(li.page.get_by_test_id("step-1-notes")).to_have_text(step_note)
    li.shot("project")
    li.no_server_errors()
    zhao.no_server_errors()

    # Everything typed landed where it was typed.
    assert (org.name, org.time_zone, org.language, org.scope) == (
        bank_name,
        "Asia/Shanghai",
        "zh-hans",
        scope,
    )
    assert Membership.objects.get(organization=org, user=people["li"]).role == Role.CONSULTANT
    assert Invitation.objects.get(organization=org, email="wang@ehbank.example").role == Role.ADMIN
    zhao_user = Membership.objects.get(organization=org, role=Role.CONTRIBUTOR).user
    assert (zhao_user.email, zhao_user.full_name) == (
        "zhao@ehbank.example",
        say(language, "Zhao Lei", "赵磊"),
    )
    saved = {
        a.clause.number: a
        for a in ClauseAssessment.objects.filter(organization=org).select_related("clause")
    }
    assert len(saved) == 57
    for number, plan in plans.items():
        a = saved[number]
        got = {
            "status": a.status,
            "maturity": str(a.maturity),
            "target_date": a.target_date.isoformat() if a.target_date else "",
            "notes": a.notes.replace("\r\n", "\n"),
        }
        assert got == plan, number
        expected_owner = zhao_user if number.startswith("8.6.") else people["li"]
        assert a.owner == expected_owner, number
        last = a.history.order_by("history_date", "history_id").last()
        assert last.history_user == (li_user := people["li"]), number
        assert last.notes.replace("\r\n", "\n") == plan["notes"], number
    assert li_user.pk
    project = CertificationProject.objects.get(organization=org)
    assert project.certification_body.name == body_name
    assert project.certification_body.accreditation == "CNAS C001-M"
    assert (project.target_stage1, project.target_certificate) == (
        date(2027, 6, 14),
        date(2027, 9, 30),
    )
    step = project.steps.get(number=1)
    assert (step.owner, step.due_date, step.notes) == (people["li"], date(2027, 1, 15), step_note)
    assert not step.items.filter(done_at=None).exists()
    li.close()
    zhao.close()
