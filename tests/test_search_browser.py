"""Browser journey 8 step 3: Chen, the certification body's lead auditor, searches "事件管理" from
the top bar and finds the clause, the process, the evidence and last year's finding about it,
in English and in Chinese (headless Debian Chromium, Playwright)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from audits import services as audits
from audits.models import AuditAssignment, AuditKind
from itsms.evidence import services as evidence_services
from itsms.models import Clause, Role
from processes.services import process_instances_ensure

from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .test_browser import SHOTS, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]

LAST_YEAR = "P1 incidents closed without the customer's confirmation"


@pytest.fixture
def bank(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    wang = UserFactory(email="wang@ehbank.example", full_name="Wang Fang")
    MembershipFactory(organization=org, user=wang, role=Role.ADMIN)
    chen = UserFactory(email="chen@huaxin.example", full_name="Chen Jing")
    incident = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    process_instances_ensure(org)
    evidence_services.evidence_create(
        organization=org,
        actor=wang,
        upload=SimpleUploadedFile("procedure.txt", "事件的记录、分类和解决".encode()),
        title="事件管理程序",
        description="Incident procedure, version 3",
        clauses=[incident],
    )
    evidence_services.evidence_create(
        organization=org,
        actor=wang,
        upload=SimpleUploadedFile("capacity.txt", b"capacity"),
        title="Capacity plan",
    )
    audit = {}
    for year, kind in ((2025, AuditKind.STAGE2), (2026, AuditKind.SURVEILLANCE)):
        audit[year] = audits.audit_create(
            organization=org,
            actor=wang,
            kind=kind,
            title=f"{kind.label} {year}",
            planned_start=date(year, 11, 2),
            planned_end=date(year, 11, 4),
        )
        audits.assignment_add(
            audit=audit[year], actor=wang, user=chen, role=AuditAssignment.Role.LEAD
        )
    audits.finding_record(
        audit=audit[2025], actor=chen, grade="minor", clause=incident, statement=LAST_YEAR
    )
    other = OrganizationFactory(name="Other Bank", slug="other-bank")
    evidence_services.evidence_create(
        organization=other,
        actor=wang,
        upload=SimpleUploadedFile("x.txt", b"x"),
        title="事件管理 of another bank",
    )
    return org, chen


def search_from_the_top_bar(page, query):
    top = page.get_by_test_id("top-search")
    top.get_by_role("searchbox").fill(query)
    top.get_by_role("searchbox").press("Enter")


def groups_of(page):
    expect(page.get_by_test_id("search-group").first).to_be_visible()
    return {g.get_attribute("data-kind"): g for g in page.get_by_test_id("search-group").all()}


@pytest.mark.parametrize(
    "language,clause_title,finding_group",
    [("en", "8.6.1 Incident management", "Findings"), ("zh-hans", "8.6.1 事件管理", "审核发现")],
)
def test_chen_searches_incident_management_and_finds_clause_process_evidence_and_finding(
    page, live_server, bank, language, clause_title, finding_group
):
    org, chen = bank
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server, chen.email)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.reload()
    search_from_the_top_bar(page, "事件管理")

    groups = groups_of(page)
    assert {"clause", "process", "evidence", "finding"} <= set(groups)
    expect(groups["clause"].get_by_test_id("search-result").first).to_contain_text(clause_title)
    expect(groups["process"]).to_contain_text(clause_title)
    expect(groups["evidence"]).to_contain_text("事件管理程序")
    expect(groups["evidence"]).not_to_contain_text("Capacity plan")
    expect(groups["finding"]).to_contain_text(LAST_YEAR)
    expect(groups["finding"]).to_contain_text(finding_group)
    expect(page.locator("main")).not_to_contain_text("another bank")
    # the matched words are marked
    expect(groups["evidence"].locator("mark").first).to_have_text("事件管理")
    page.screenshot(path=str(SHOTS / f"search-{language}.png"), full_page=True)

    groups["finding"].get_by_role("link", name=LAST_YEAR).click()
    expect(page.locator("main")).to_contain_text(LAST_YEAR)
    page.go_back()
    groups_of(page)["evidence"].get_by_role("link", name="事件管理程序").click()
    expect(page.locator("main")).to_contain_text("Incident procedure, version 3")
