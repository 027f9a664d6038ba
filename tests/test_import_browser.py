"""Journey 8 step 1 in Chromium, in English and in Chinese: Li downloads the gap-assessment
template, fills it, uploads it, sees 57 rows with 3 refused and their reasons, fixes the file,
sees the preview again and applies it."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from itsms.assessment import services
from itsms.models import ClauseAssessment, Role

from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .test_browser import SHOTS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]

WORDS = {
    "en": {
        "import": "Import from Excel or CSV",
        "template": "Blank template (XLSX)",
        "preview": "Preview the import",
        "apply": "Apply the import",
        "member": "Unknown member",
        "date": "Bad date",
        "exclusion": "clause 1.2",
        "applied": "Imported: 57 clauses changed.",
    },
    "zh-hans": {
        "import": "从 Excel 或 CSV 导入",
        "template": "空白模板（XLSX）",
        "preview": "预览导入",
        "apply": "应用导入",
        "member": "未知成员",
        "date": "日期",
        "exclusion": "1.2",
        "applied": "已导入：57 个条款已变更。",
    },
}


def _fill(path: Path, *, broken: bool, owner: str) -> bytes:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for index, row in enumerate(sheet.iter_rows(min_row=2), start=0):
        clause, status, maturity, email, target = row[0], row[2], row[3], row[4], row[5]
        status.value = sheet.parent["lists"]["A3"].value  # the third status of the list
        maturity.value = 2
        email.value = owner
        target.value = "2027-03-31"
        if broken and index == 0:
            email.value = "stranger@elsewhere.example"
        if broken and index == 1:
            target.value = "31.13.2027"
        if broken and index == 2:
            status.value = "N/A"
        assert clause.value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_li_imports_a_client_spreadsheet_with_a_preview(
    page, live_server, settings, tmp_path, language
):
    words = WORDS[language]
    li = UserFactory(email="li@northbridge.example", full_name="Li Na")
    org = OrganizationFactory(name="Meridian Logistics", slug="meridian-logistics")
    MembershipFactory(organization=org, user=li, role=Role.CONSULTANT)
    owner = UserFactory(email="zhao@meridian.example", full_name="Zhao Lei")
    MembershipFactory(organization=org, user=owner, role=Role.CONTRIBUTOR)
    services.gap_assessment_start(organization=org, actor=li)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    _sign_in_any(page, live_server, li)
    page.goto(f"{live_server.url}/o/{org.slug}/assessment/")
    page.get_by_role("link", name=words["import"]).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=words["template"]).click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    upload = tmp_path / "client.xlsx"
    upload.write_bytes(_fill(template, broken=True, owner=owner.email))
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name=words["preview"]).click()
    rows = page.get_by_test_id("import-rows").locator("tbody tr")
    expect(rows).to_have_count(57)
    expect(page.locator("tr[data-outcome=refused]")).to_have_count(3)
    refused = page.locator("tr[data-outcome=refused]")
    expect(refused.nth(0)).to_contain_text(words["member"])
    expect(refused.nth(1)).to_contain_text(words["date"])
    expect(refused.nth(2)).to_contain_text(words["exclusion"])
    expect(page.get_by_test_id("import-blocked")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-preview-refused-{language}.png"), full_page=True)
    assert not ClauseAssessment.objects.filter(organization=org, maturity=2).exists()

    page.goto(f"{live_server.url}/o/{org.slug}/assessment/import/")
    upload.write_bytes(_fill(template, broken=False, owner=owner.email))
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name=words["preview"]).click()
    expect(page.locator("tr[data-outcome=changed]")).to_have_count(57)
    expect(page.locator("tr[data-outcome=changed]").first).to_contain_text("→")
    page.screenshot(path=str(SHOTS / f"import-preview-changes-{language}.png"), full_page=True)
    page.get_by_role("button", name=words["apply"]).click()
    expect(page.locator(".msg.success")).to_contain_text(words["applied"])
    assert ClauseAssessment.objects.filter(organization=org, maturity=2, owner=owner).count() == 57
    rows = ClauseAssessment.objects.filter(organization=org)
    assert {r.history.first().history_user for r in rows} == {li}


def _sign_in_any(page, live_server, user):
    """Sign in on a page in whatever language (the form's fields by name)."""
    from .factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit].primary").click()
