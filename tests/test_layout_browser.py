"""The top bar and the organisation menu in Chromium (issue 9, point 12): at 1366 px neither
wraps, at 800 px (the auditor's tablet) both fold behind a button; the bell and the switcher,
in English and Chinese. Screenshots go to test-results/ for a person to look at."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from certification import services as certification
from itsms.assessment import services as gap
from itsms.models import Role
from itsms.notifications.services import notify

from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .test_browser import SHOTS, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]


@pytest.fixture
def li(db):
    li = UserFactory(email="li@northbridge.example", full_name="Li Na")
    bank = OrganizationFactory(
        name="Eastern Harbour Bank", slug="eastern-harbour-bank", time_zone="Asia/Shanghai"
    )
    for name, slug in (("Meridian Logistics", "meridian-logistics"), ("华信物流", "huaxin-wuliu")):
        MembershipFactory(
            organization=OrganizationFactory(name=name, slug=slug), user=li, role=Role.CONSULTANT
        )
    MembershipFactory(organization=bank, user=li, role=Role.CONSULTANT)
    gap.gap_assessment_start(organization=bank, actor=li)
    certification.certificate_record(
        organization=bank,
        actor=li,
        number="HX-2026-001",
        scope="IT services",
        decision_date=bank.local_today() - timedelta(days=300),
    )
    notify(organization=bank, user=li, text="Zhao sent “Incident procedure” for your review.")
    return li


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def fits(page, selector):
    """The element's content fits its box (nothing scrolled away or cut)."""
    return page.locator(selector).first.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_menus_stay_on_one_line_at_1366_and_fold_at_800(page, live_server, li, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    if language == "en":
        sign_in(page, live_server, li.email)
    else:
        sign_in_chinese(page, live_server, li.email)
    page.goto(f"{live_server.url}/o/eastern-harbour-bank/dashboard/")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    topbar, orgnav = box(page, ".topbar"), box(page, ".orgnav-links")
    link = box(page, ".orgnav-links a")
    assert topbar["height"] < 60, topbar  # one line
    assert orgnav["height"] < link["height"] * 1.6, (orgnav, link)  # one line of links
    assert fits(page, ".orgnav-links"), "the organisation menu is cut"
    assert fits(page, ".topbar"), "the top bar is cut"
    assert fits(page, "html"), "the page scrolls sideways"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dashboard-1366-{language}.png"), full_page=True)

    page.get_by_test_id("switcher").locator("summary").click()
    expect(page.locator("#org-search-results li")).to_have_count(3)
    page.screenshot(path=str(SHOTS / f"switcher-1366-{language}.png"))
    page.keyboard.press("Escape")

    page.set_viewport_size({"width": 800, "height": 1000})
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(page.locator("#orgnav-links")).to_be_hidden()
    page.screenshot(path=str(SHOTS / f"dashboard-800-{language}.png"), full_page=True)
    assert box(page, ".topbar")["height"] < 60
    assert fits(page, ".topbar")
    page.locator(".orgnav [data-navtoggle]").click()
    expect(page.locator("#orgnav-links")).to_be_visible()
    expect(page.locator(".orgnav [data-navtoggle]")).to_have_attribute("aria-expanded", "true")
    page.locator(".topbar [data-navtoggle]").click()
    expect(page.locator("#mainnav")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"menus-open-800-{language}.png"))

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Incident procedure")
    page.screenshot(path=str(SHOTS / f"notifications-1366-{language}.png"))
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("portfolio")).to_contain_text("Eastern Harbour Bank")
    page.screenshot(path=str(SHOTS / f"portfolio-1366-{language}.png"), full_page=True)
    page.set_viewport_size({"width": 800, "height": 1000})
    page.screenshot(path=str(SHOTS / f"portfolio-800-{language}.png"), full_page=True)


def sign_in_chinese(page, live_server, email):
    from .factories import PASSWORD

    page.goto(f"{live_server.url}/")
    page.get_by_label("电子邮件地址").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def test_a_lone_checkbox_sits_under_its_label(page, live_server, li):
    """The SSO page's "Enabled" box was stretched across the column and drawn in its centre."""
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, li.email)
    page.goto(f"{live_server.url}/o/eastern-harbour-bank/sso/")
    expect(page.get_by_test_id("sso-form")).to_be_visible()
    for name in ("enabled", "password_sign_in_disabled"):
        label = box(page, f"label[for=id_{name}]")
        checkbox = box(page, f"#id_{name}")
        assert abs(checkbox["x"] - label["x"]) < 8, name  # its own margin: 4 px
        assert checkbox["width"] < 40, name
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "sso-checkboxes.png"), full_page=True)
