"""Journey 2: the ITSM team closes the gap (Zhao, contributor at the bank), in the browser.

The bank as journey 1 left it (chapter 8.6 assigned to Zhao with target dates, 8.6.1
implemented, the incident-management process owned by Zhao, the "Online banking" service) is
the starting state. Zhao reads his work, uploads the incident procedure (a Chinese file name,
3 MB) and last quarter's incident report with their links, sends the procedure for review;
Wang approves it and the evidenced readiness of 8.6.1 follows; Zhao records the KPI and three
months of values; a program disguised as a PDF is refused and nothing is stored.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from itsms.assessment import services as gap
from itsms.models import ClauseAssessment, Evidence, Role, Status
from processes import services as processes
from processes.models import Kpi, ProcessInstance

from ..factories import MembershipFactory, OrganizationFactory, UserFactory
from ..test_evidence import PDF
from .pages import Person, say

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available", "eager"),
]

#: A real PDF of 3 MB: the padding is a PDF comment after the header.
BIG_PDF = PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (3 * 1024 * 1024) + b"\n")
#: A Windows program (its "MZ" header and DOS stub), renamed procedure.pdf.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 4096
)


@pytest.fixture
def bank(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganizationFactory(
        name="东港银行", slug="eastern-harbour-bank", time_zone="Asia/Shanghai", language="zh-hans"
    )
    wang = UserFactory(email="wang@ehbank.example", full_name="王芳")
    zhao = UserFactory(email="zhao@ehbank.example", full_name="赵磊")
    MembershipFactory(organization=org, user=wang, role=Role.ADMIN)
    MembershipFactory(organization=org, user=zhao, role=Role.CONTRIBUTOR)
    gap.gap_assessment_start(organization=org, actor=wang)
    for row in ClauseAssessment.objects.filter(organization=org, clause__number__startswith="8.6."):
        gap.assessment_update(
            assessment=row,
            actor=wang,
            owner=zhao,
            target_date=date(2027, 4, 30),
            status=Status.IMPLEMENTED if row.clause.number == "8.6.1" else Status.PARTIAL,
        )
    processes.process_instances_ensure(org)
    incident = ProcessInstance.objects.get(organization=org, clause__number="8.6.1")
    processes.process_instance_update(instance=incident, actor=wang, owner=zhao)
    online = processes.service_create(
        organization=org, actor=wang, name="Online banking", processes=[incident]
    )
    return org, wang, zhao, incident, online


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_journey_2_the_itsm_team_closes_the_gap(browser, live_server, bank, language):
    org, wang_user, zhao_user, incident, online = bank
    zhao = Person(browser, live_server, language, "j2-zhao")

    # 1. My work: the clauses and the process assigned to him, with their target dates.
    zhao.sign_in(zhao_user.email)
    zhao.page.locator(f'main a[href="/o/{org.slug}/"]').first.click()
    zhao.menu("my-work/")
    work = zhao.page.get_by_test_id("my-work")
    for number in ("8.6.1", "8.6.2", "8.6.3"):
        expect(work).to_contain_text(number)
    expect(work).to_contain_text("2027-04-30")
    zhao.shot("my-work")

    # 2. The procedure and the incident report, with their links, with a progress bar each.
    zhao.menu("evidence/")
    zhao.page.locator('main a[href$="/evidence/upload/"]').first.click()
    expect(zhao.page.locator("[data-dropzone]")).to_be_visible()
    form = zhao.page.locator("form[data-upload]")
    form.locator("input[name=files]").set_input_files(
        [
            {"name": "事件管理程序.pdf", "mimeType": "application/pdf", "buffer": BIG_PDF},
            {"name": "incident-report-2026Q3.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    expect(zhao.page.locator(".upload-item progress")).to_have_count(2)
    description = say(
        language, "Incident management, reviewed by the ITSM team", "事件管理，经 ITSM 团队评审"
    )
    zhao.type(form.locator("[name=description]"), description)
    form.locator("[name=kind]").select_option("procedure")
    form.locator("[name=clauses]").select_option(
        form.locator("[name=clauses] option", has_text="8.6.1 ").first.get_attribute("value")
    )
    form.locator("[name=processes]").select_option(str(incident.pk))
    form.locator("[name=services]").select_option(str(online.pk))
    zhao.shot("upload-filled")
    form.locator("button[type=submit]").click()
    expect(zhao.page.locator(".upload-item.ok")).to_have_count(2, timeout=30_000)
    expect(zhao.page.locator("[data-done]")).to_be_visible()
    zhao.shot("uploaded")

    # He sends the procedure for review.
    procedure = Evidence.objects.get(organization=org, title="事件管理程序")
    zhao.goto(f"/o/{org.slug}/evidence/")
    zhao.page.get_by_test_id("evidence-register").locator(
        f'a[href$="/evidence/{procedure.pk}/"]'
    ).first.click()
    zhao.page.locator('form.transition button[value="in_review"]').click()
    expect(zhao.page.locator('form.transition button[value="in_review"]')).to_have_count(0)
    zhao.shot("sent-for-review")

    # 3. Wang approves it; the evidenced readiness of 8.6.1 follows.
    wang = Person(browser, live_server, language, "j2-wang")
    wang.sign_in(wang_user.email)
    wang.goto(f"/o/{org.slug}/evidence/{procedure.pk}/")
    wang.page.locator('form.transition button[value="approved"]').click()
    expect(wang.page.locator('form.transition button[value="approved"]')).to_have_count(0)
    wang.shot("approved")
    wang.menu("dashboard/")
    chapter8 = wang.page.get_by_test_id("evidenced").locator("tbody tr").nth(4)
    expect(chapter8.locator("th")).to_contain_text("8")
    expect(chapter8.locator("td").nth(1)).not_to_have_text("0 %")
    expect(wang.page.get_by_test_id("evidenced").locator(".big")).not_to_have_text("0 %")
    wang.shot("dashboard-evidenced")

    # 4. The KPI and three months of values; the trend shows on the process page.
    zhao.goto(f"/o/{org.slug}/processes/{incident.pk}/")
    zhao.page.locator('main a[href$="/kpis/new/"]').click()
    kpi_form = zhao.page.locator("main form[method=post]")
    kpi_name = say(language, "P1 incidents resolved within 4 h", "P1 事件 4 小时内解决")
    zhao.type(kpi_form.locator("[name=name]"), kpi_name)
    zhao.type(kpi_form.locator("[name=target]"), "95")
    zhao.type(kpi_form.locator("[name=unit]"), "%")
    kpi_form.locator("[name=period]").select_option("monthly")
    kpi_form.locator("[name=direction]").select_option("higher")
    kpi_form.locator("button[type=submit]").click()
    expect(zhao.page.locator("section.proc-kpi").filter(has_text=kpi_name)).to_be_visible()
    zhao.shot("kpi-created")
    values = [("2026-07-01", "92.5"), ("2026-08-01", "96"), ("2026-09-01", "97.3")]
    for month, value in values:
        card = zhao.page.locator("section.proc-kpi").filter(has_text=kpi_name)
        value_form = card.locator("form.proc-value-form")
        value_form.locator("[name$=period_start]").fill(month)
        zhao.type(value_form.locator("[name$=-value]"), value)
        value_form.locator("button[type=submit]").click()
        expect(zhao.page.locator("section.proc-kpi").filter(has_text=kpi_name)).to_contain_text(
            month
        )
    card = zhao.page.locator("section.proc-kpi").filter(has_text=kpi_name)
    expect(card.locator(".proc-chart svg")).to_be_visible()
    card.scroll_into_view_if_needed()
    zhao.shot("kpi-trend")

    # 5. A program renamed procedure.pdf is refused with a clear message; nothing is stored.
    count = Evidence.objects.filter(organization=org).count()
    zhao.goto(f"/o/{org.slug}/evidence/upload/")
    form = zhao.page.locator("form[data-upload]")
    form.locator("input[name=files]").set_input_files(
        [{"name": "procedure.pdf", "mimeType": "application/pdf", "buffer": EXE}]
    )
    form.locator("[name=kind]").select_option("procedure")
    form.locator("button[type=submit]").click()
    refused = zhao.page.locator(".upload-item.failed")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("procedure.pdf")
    expect(refused).to_be_in_viewport()  # not out of sight above the long form
    zhao.shot("exe-refused")
    assert Evidence.objects.filter(organization=org).count() == count
    zhao.no_server_errors()
    wang.no_server_errors()

    # Everything typed landed where it was typed.
    procedure.refresh_from_db()
    report = Evidence.objects.get(organization=org, title="incident-report-2026Q3")
    for item in (procedure, report):
        assert item.description == description
        assert item.kind == "procedure"
        assert [c.number for c in item.clauses.all()] == ["8.6.1"]
        assert list(item.processes.all()) == [incident]
        assert list(item.services.all()) == [online]
    assert procedure.status == "approved"
    assert procedure.current_version.size == len(BIG_PDF)
    assert procedure.history.filter(history_user=wang_user, status="approved").exists()
    kpi = Kpi.objects.get(process=incident)
    assert (kpi.name, kpi.target, kpi.unit, kpi.period, kpi.direction) == (
        kpi_name,
        Decimal("95"),
        "%",
        "monthly",
        "higher",
    )
    assert [(v.period_start.isoformat(), v.value) for v in kpi.values.order_by("period_start")] == [
        (m, Decimal(v)) for m, v in values
    ]
    zhao.close()
    wang.close()
