"""Browser journey: a contributor drops two documents, watches one progress bar per file,
and finds both in the evidence register (headless Debian Chromium, Playwright)."""

import pytest
from playwright.sync_api import expect

from itsms.models import Evidence, Role

from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .test_browser import SHOTS, sign_in
from .test_evidence import PDF

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]


def test_a_contributor_uploads_two_files_with_progress_and_sees_them_in_the_register(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(exist_ok=True)
    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    zhao = UserFactory(email="zhao@ehbank.example", full_name="Zhao Lei")
    MembershipFactory(organization=org, user=zhao, role=Role.CONTRIBUTOR)
    sign_in(page, live_server, zhao.email)
    page.goto(f"{live_server.url}/o/{org.slug}/evidence/")
    page.get_by_role("link", name="Upload evidence").click()

    expect(page.locator("[data-dropzone]")).to_be_visible()  # the script took over
    # One way to choose files at a time: the drop zone's button, not also the plain chooser.
    expect(page.locator("input[name=files]")).to_be_hidden()
    expect(page.get_by_role("button", name="choose files")).to_be_visible()
    page.locator("input[name=files]").set_input_files(
        [
            {"name": "事件管理程序.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {
                "name": "change-log.csv",
                "mimeType": "text/csv",
                "buffer": b"date,change\n2026-03-01,CHG-1\n" * 2000,
            },
        ]
    )
    bars = page.locator(".upload-item progress")
    expect(bars).to_have_count(2)
    page.get_by_label("Kind").select_option("procedure")
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.locator(".upload-item.ok")).to_have_count(2)
    for i in range(2):
        expect(bars.nth(i)).to_have_attribute("value", "100")
    expect(page.locator("[data-done]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "evidence-upload.png"), full_page=True)
    assert set(Evidence.objects.values_list("title", flat=True)) == {"事件管理程序", "change-log"}

    page.get_by_role("link", name="Open the evidence register").click()
    register = page.get_by_test_id("evidence-register")
    expect(register).to_contain_text("事件管理程序")
    expect(register).to_contain_text("change-log")
    expect(register).to_contain_text("Draft")
    page.screenshot(path=str(SHOTS / "evidence-register.png"), full_page=True)
