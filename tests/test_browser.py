"""Browser journeys in headless Chromium (Debian's), driven by Playwright.

Journey 1 (the consultant): sign in, the portfolio, a new client, an invitation,
the switcher, and the clause tree expanded down to incident management.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from itsms.models import Invitation, Organization, Role

from .factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]

SHOTS = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture
def li(db):
    user = UserFactory(email="li@northbridge.example", full_name="Li Na")
    for name, slug in (
        ("Meridian Logistics", "meridian-logistics"),
        ("Harbour Air", "harbour-air"),
    ):
        MembershipFactory(
            organization=OrganizationFactory(name=name, slug=slug), user=user, role=Role.CONSULTANT
        )
    return user


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    """Sign out as a user does: from the menu under their name in the top bar."""
    page.locator("details.usermenu > summary").click()
    page.get_by_role("button", name="Sign out").click()


def test_consultant_signs_in_sees_portfolio_creates_a_client_and_browses_the_clause_tree(
    page, live_server, li, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sign_in(page, live_server, li.email)
    portfolio = page.get_by_test_id("portfolio")
    expect(portfolio).to_contain_text("Meridian Logistics")
    expect(portfolio).to_contain_text("Harbour Air")

    page.get_by_role("link", name="New client organisation").click()
    page.get_by_label("Name", exact=True).fill("Eastern Harbour Bank")
    page.get_by_label("Slug").fill("eastern-harbour-bank")
    page.get_by_label("Time zone").select_option("Asia/Shanghai")
    page.get_by_label("Language", exact=True).select_option("zh-hans")
    page.get_by_label("SMS scope statement").fill(
        "IT services supporting retail banking, Shanghai data centre"
    )
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_test_id("current-org")).to_contain_text("Eastern Harbour Bank")
    expect(page.get_by_test_id("current-org")).to_contain_text("Consultant")
    assert Organization.objects.filter(slug="eastern-harbour-bank").exists()

    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Members").click()
    page.get_by_label("Email address").fill("wang@ehbank.example")
    page.get_by_label("Role").last.select_option("admin")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to wang@ehbank.example")
    assert Invitation.objects.get(email="wang@ehbank.example").role == Role.ADMIN
    assert any("wang@ehbank.example" in m.to for m in mail.outbox)

    # The switcher in the top bar finds another client by name and goes there.
    page.get_by_test_id("switcher").locator("summary").click()
    page.get_by_label("Find an organisation").fill("Meridian")
    switcher = page.locator("#org-search-results")
    expect(switcher).not_to_contain_text("Harbour Air")
    switcher.get_by_role("link", name="Meridian Logistics").click()
    expect(page.get_by_test_id("current-org")).to_contain_text("Meridian Logistics")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clause tree").click()
    tree = page.get_by_test_id("clause-tree")
    expect(tree.locator('[data-number="4"]')).to_be_visible()
    incident = tree.locator('[data-number="8.6.1"]')
    expect(incident).to_be_hidden()
    tree.locator('details[data-number="8.6"] > summary').click(position={"x": 5, "y": 8})
    expect(incident).to_be_visible()
    expect(incident).to_contain_text("2011: 8.1")
    page.get_by_role("button", name="Collapse all").click()
    expect(tree.locator('[data-number="8.1"]')).to_be_hidden()
    page.get_by_role("button", name="Expand all").click()
    expect(tree.locator('[data-number="8.2.5"]')).to_contain_text("new in 2018")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clause-tree.png"), full_page=False)

    incident.get_by_role("link", name="8.6.1").click()
    expect(page.get_by_test_id("predecessors")).to_contain_text("8.1")
    expect(page.locator("h1")).to_contain_text("Incident management")


def test_a_viewer_sees_no_management_actions(page, live_server, db):
    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    zhou = UserFactory(email="zhou@ehbank.example")
    MembershipFactory(organization=org, user=zhou, role=Role.VIEWER)
    sign_in(page, live_server, zhou.email)
    page.get_by_role("link", name="Eastern Harbour Bank").click()
    expect(page.get_by_test_id("current-org")).to_contain_text("Viewer")
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Members").click()
    expect(page.get_by_role("button", name="Send invitation")).to_have_count(0)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)


def test_a_contributor_edits_an_assigned_clause_inline_and_the_dashboard_follows(
    page, live_server, db
):
    from itsms.assessment import services as gap
    from itsms.models import ClauseAssessment

    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    wang = MembershipFactory(organization=org, user=UserFactory(), role=Role.ADMIN).user
    zhao = UserFactory(email="zhao@ehbank.example", full_name="Zhao Lei")
    MembershipFactory(organization=org, user=zhao, role=Role.CONTRIBUTOR)
    gap.gap_assessment_start(organization=org, actor=wang)
    incident = ClauseAssessment.objects.get(organization=org, clause__number="8.6.1")
    gap.assessment_update(assessment=incident, actor=wang, owner=zhao)

    sign_in(page, live_server, zhao.email)
    page.get_by_role("link", name="Eastern Harbour Bank").click()
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="My work").click()
    expect(page.get_by_test_id("my-work")).to_contain_text("Incident management")

    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Gap assessment"
    ).click()
    mine = page.locator('form[data-clause="8.6.1"]')
    expect(mine.get_by_role("combobox").first).to_be_enabled()
    # Not assigned to Zhao: shown, but without anything to edit.
    theirs = page.locator('[data-clause="8.6.2"]')
    expect(theirs).to_be_visible()
    expect(theirs.locator("select, input")).to_have_count(0)

    with page.expect_response(lambda r: r.request.method == "POST"):
        mine.locator("select[name=status]").select_option("implemented")
    expect(page.locator('form[data-clause="8.6.1"]')).to_contain_text("Saved.")
    expect(page.locator("#overall")).to_have_text("2 %")  # 1 of 57, without a reload
    mine = page.locator('form[data-clause="8.6.1"]')
    with page.expect_response(lambda r: r.request.method == "POST"):
        mine.locator("select[name=maturity]").select_option("3")
    expect(page.locator('form[data-clause="8.6.1"]')).to_contain_text("Saved.")
    incident.refresh_from_db()
    assert (incident.status, incident.maturity, incident.version) == ("implemented", 3, 4)

    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Readiness"
    ).click()
    expect(page.get_by_test_id("overall")).to_contain_text("2 %")
    expect(page.get_by_test_id("changes")).to_contain_text("8.6.1")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
