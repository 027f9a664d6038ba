"""Journey 8, step 2, in Chromium: Li builds the audit pack for the certification body through
the pages; Chen downloads it, checks it with sha256sum and on the verification page."""

import subprocess
import zipfile

import pytest
from playwright.sync_api import expect

from audits.tests.test_pack import sampled  # noqa: F401 (the fixture: four versions sampled)
from itsms.shared import manifests
from tests.test_browser import SHOTS, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "sampled"),
]

VERDICT = {"en": "Intact, and signed by this workbench.", "zh-hans": "完整，且由本工作台签名。"}
DOWNLOAD = {"en": "Download the audit pack", "zh-hans": "下载审核资料包"}


def in_language(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_li_builds_the_audit_pack_and_chen_verifies_every_file(
    page, live_server, org_a, audit, chen, consultant, language, tmp_path
):
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server, consultant.email)
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/{audit.pk}/")
    page.get_by_test_id("audit-pack-link").click()
    expect(page.get_by_test_id("pack-sampled")).to_contain_text("4")
    page.get_by_test_id("pack-form").locator("button[type=submit]").click()
    download = page.get_by_test_id("pack-download")
    expect(download).to_have_text(DOWNLOAD[language])
    page.screenshot(path=str(SHOTS / f"audit-pack-{language}.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, chen.email)
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/o/{org_a.slug}/audits/{audit.pk}/pack/")
    with page.expect_download() as info:
        page.get_by_test_id("pack-download").click()
    path = tmp_path / "pack.zip"
    info.value.save_as(path)
    result = manifests.verify_zip(str(path))
    assert result.ok and result.key_trusted
    evidence = [f for f in result.manifest["files"] if f.get("kind") == "evidence"]
    assert len(evidence) == 4 and not result.failed
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(path).extractall(folder)
    checked = subprocess.run(  # noqa: S603
        ["sha256sum", "-c", "SHA256SUMS"],  # noqa: S607
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout

    page.goto(f"{live_server.url}/verify/")
    page.get_by_test_id("verify-form").locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("verify-verdict")).to_have_text(VERDICT[language])
    expect(page.get_by_test_id("verify-good")).to_have_text(str(len(result.files)))
    page.screenshot(path=str(SHOTS / f"audit-pack-verified-{language}.png"), full_page=True)
