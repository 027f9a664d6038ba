"""Journey 3 in Chromium: the auditor records a minor nonconformity, the lead holds the closing
meeting, the ITSM contributor sees the deadline 42 days later and submits a plan."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from audits.models import ActionState, CorrectiveAction
from itsms.models import Role
from tests.test_browser import SHOTS, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]


def sign_out(page):
    page.locator("details.usermenu > summary").click()
    page.get_by_role("button", name="Sign out").click()


def test_auditor_records_a_minor_nonconformity_and_the_contributor_answers(
    page, live_server, org_a, audit, chen, members
):
    sign_in(page, live_server, chen.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/{audit.pk}/")
    form = page.get_by_test_id("finding-form")
    expect(page.get_by_test_id("grading-criteria")).to_contain_text("An isolated human error.")
    form.get_by_label("Minor nonconformity").check()
    form.get_by_label("Clause").select_option(label="8.6.1 Incident management")
    form.get_by_label("Statement").fill(
        "Two P1 incidents in March closed without the required customer confirmation"
    )
    form.get_by_label("Objective evidence").fill("Incident report, March")
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Record finding").click()
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("Two P1 incidents in March")
    expect(findings).to_contain_text("Minor nonconformity")
    # The form is ready for the next finding, and the auditor stayed on the page.
    expect(page.get_by_test_id("finding-form").get_by_label("Statement")).to_have_value("")

    held = org_a.local_today()
    page.get_by_test_id("closing-form").get_by_label("Closing meeting held on").fill(
        held.isoformat()
    )
    page.get_by_role("button", name="Record the closing meeting").click()
    deadline = (held + timedelta(days=42)).isoformat()
    expect(page.get_by_test_id("closing-meeting")).to_contain_text(deadline)
    expect(page.get_by_test_id("deadline").first).to_have_text(deadline)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "audit.png"), full_page=True)
    sign_out(page)

    zhao = members[Role.CONTRIBUTOR]
    sign_in(page, live_server, zhao.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/")
    page.get_by_test_id("open-actions").get_by_role("link", name=re.compile("F1")).click()
    expect(page.get_by_test_id("action-deadline")).to_contain_text(deadline)
    answer = page.get_by_test_id("answer-form")
    answer.get_by_label("Root-cause analysis").fill("The closure step did not require confirmation")
    answer.get_by_label("Corrective-action plan").fill("Make customer confirmation mandatory")
    answer.get_by_role("button", name="Submit to the auditor").click()
    expect(page.get_by_test_id("action-state")).to_have_text("Submitted")
    assert CorrectiveAction.objects.get(finding__audit=audit).state == ActionState.SUBMITTED


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_at_800_px_the_grading_criteria_stand_beside_the_grade_choice(
    page, live_server, org_a, audit, chen, language
):
    """The auditor's tablet: the criteria are read while choosing the grade."""
    page.set_viewport_size({"width": 800, "height": 1100})
    sign_in(page, live_server, chen.email)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/{audit.pk}/")
    grades = page.get_by_test_id("finding-form").locator("#id_grade").bounding_box()
    criteria = page.get_by_test_id("grading-criteria").bounding_box()
    assert criteria["x"] >= grades["x"] + grades["width"] - 1  # to its right, not below
    assert criteria["y"] < grades["y"] + grades["height"]  # and level with it
    assert criteria["x"] + criteria["width"] <= 800  # on the screen, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"audit-800-{language}.png"), full_page=False)


def test_on_a_phone_the_criteria_follow_the_form(page, live_server, org_a, audit, chen):
    page.set_viewport_size({"width": 420, "height": 900})
    sign_in(page, live_server, chen.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/{audit.pk}/")
    form = page.get_by_test_id("finding-form").bounding_box()
    criteria = page.get_by_test_id("grading-criteria").bounding_box()
    assert criteria["y"] >= form["y"] + form["height"] - 1
