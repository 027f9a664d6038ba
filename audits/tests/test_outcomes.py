"""What each kind of audit concludes, on its page, in the API and in the report PDF."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse

from audits import services
from audits.models import AuditKind, CorrectiveAction
from itsms.models import Clause, Role

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def pdf_text(client, org, audit, tmp_path, lang=None) -> str:
    from tests.conftest import need_service

    need_service(bool(shutil.which("pdftotext")), "pdftotext (poppler-utils)")
    target = reverse("audits:audit_report", kwargs={"org_slug": org.slug, "pk": audit.pk})
    response = client.get(target, {"lang": lang} if lang else {})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    command = [shutil.which("pdftotext"), "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def held_audit(org, admin, lead, kind, *, body=None, grade="minor", statement="s", **extra):
    audit = services.audit_create(
        organization=org,
        actor=admin,
        kind=kind,
        title=f"{AuditKind(kind).label} 2026",
        certification_body=body if kind != AuditKind.INTERNAL else None,
        planned_start=org.local_today() - timedelta(days=3),
        planned_end=org.local_today() - timedelta(days=1),
        **extra,
    )
    services.assignment_add(audit=audit, actor=admin, user=lead, role="lead")
    if grade:
        services.finding_record(
            audit=audit, actor=lead, grade=grade, clause=clause("8.6.1"), statement=statement
        )
    return services.closing_meeting_record(audit=audit, actor=lead, held_on=org.local_today())


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


@pytest.mark.parametrize(
    "kind,extra,outcome",
    [
        (AuditKind.STAGE2, {}, "recommendation"),
        (AuditKind.RECERTIFICATION, {}, "recommendation"),
        (AuditKind.TRANSITION, {}, "recommendation"),
        (AuditKind.SPECIAL, {"leads_to_decision": True}, "recommendation"),
        (AuditKind.SPECIAL, {}, "none"),
        (AuditKind.FOLLOW_UP, {}, "none"),
        (AuditKind.SURVEILLANCE, {}, "maintenance"),
        (AuditKind.STAGE1, {}, "stage2_readiness"),
        (AuditKind.INTERNAL, {}, "none"),
    ],
)
def test_only_decision_audits_show_a_recommendation_on_the_page_and_in_the_api(
    client, api_client, org_a, admin, chen, body, kind, extra, outcome
):
    audit = held_audit(org_a, admin, chen, kind, body=body, grade=None, **extra)
    client.force_login(admin)
    html = client.get(
        reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})
    ).content.decode()
    assert f'data-outcome="{outcome}"' in html
    assert ("Certification can be recommended" in html) is (outcome == "recommendation")
    assert ("recommended" in html.lower()) is (outcome == "recommendation")
    api_client.force_authenticate(admin)
    data = api_client.get(reverse("audits-api:audit-detail", kwargs={"pk": audit.pk})).json()
    assert data["outcome"]["kind"] == outcome
    if outcome == "recommendation":
        assert data["recommendation"]["recommended"] is True and data["outcome"]["positive"]
    else:
        assert data["recommendation"] is None


def test_a_stage_1_audit_says_whether_the_organisation_is_ready_and_lists_its_concerns(
    client, api_client, org_a, admin, chen, body, tmp_path
):
    audit = services.audit_create(
        organization=org_a,
        actor=admin,
        kind=AuditKind.STAGE1,
        title="Stage 1 audit",
        certification_body=body,
        planned_start=org_a.local_today() - timedelta(days=2),
        planned_end=org_a.local_today() - timedelta(days=1),
    )
    services.assignment_add(audit=audit, actor=admin, user=chen, role="lead")
    client.force_login(chen)
    page = reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})
    assert 'value="concern"' in client.get(page).content.decode()  # offered in a stage 1
    response = client.post(
        reverse("audits:finding_create", kwargs={"org_slug": org_a.slug, "pk": audit.pk}),
        {"grade": "concern", "statement": "Internal audit of 8.5 not yet performed"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    assert not CorrectiveAction.objects.filter(finding__audit=audit).exists()
    html = client.get(page).content.decode()
    assert "Ready for stage 2" in html and "recommend" not in html.lower()
    ref = f"{audit.reference}-F1"
    concerns = html[html.index('data-testid="areas-of-concern"') :]
    assert ref in concerns and "Internal audit of 8.5 not yet performed" in concerns
    assert "1 area of concern to resolve before stage 2" in html
    api_client.force_authenticate(chen)
    data = api_client.get(reverse("audits-api:audit-detail", kwargs={"pk": audit.pk})).json()
    assert data["outcome"]["kind"] == "stage2_readiness" and data["outcome"]["positive"] is True
    assert data["outcome"]["areas_of_concern"] == [ref] and data["recommendation"] is None
    text = pdf_text(client, org_a, audit, tmp_path)
    assert "Readiness for stage 2" in text and "Ready for stage 2" in text
    assert "Areas of concern" in text and "recommend" not in text.lower()


def test_a_surveillance_audit_says_whether_certification_is_maintained(
    client, org_a, admin, chen, body, tmp_path
):
    audit = held_audit(org_a, admin, chen, AuditKind.SURVEILLANCE, body=body, grade="major")
    client.force_login(admin)
    page = reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})
    html = client.get(page).content.decode()
    assert "Maintaining certification is not confirmed yet" in html
    assert "at risk of suspension" in html and "recommend" not in html.lower()
    text = pdf_text(client, org_a, audit, tmp_path)
    assert "Maintenance of certification" in text and "recommend" not in text.lower()


def test_an_internal_audit_report_carries_no_recommendation(client, org_a, admin, chen, tmp_path):
    audit = held_audit(org_a, admin, chen, AuditKind.INTERNAL, grade="minor")
    client.force_login(admin)
    text = pdf_text(client, org_a, audit, tmp_path)
    assert "No certification decision follows from this audit" in text
    assert "recommend" not in text.lower()


def test_the_report_states_the_criteria_the_meetings_and_the_recommendation(
    client, org_a, admin, chen, body, tmp_path
):
    audit = services.audit_create(
        organization=org_a,
        actor=admin,
        kind=AuditKind.STAGE2,
        title="Stage 2 audit 2026",
        certification_body=body,
        planned_start=org_a.local_today() - timedelta(days=2),
        planned_end=org_a.local_today(),
        scope_sites="Head office Lujiazui",
    )
    services.assignment_add(audit=audit, actor=admin, user=chen, role="lead")
    opened = org_a.local_today() - timedelta(days=2)
    services.opening_meeting_record(audit=audit, actor=chen, held_on=opened)
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    client.force_login(admin)
    text = " ".join(pdf_text(client, org_a, audit, tmp_path).split())
    for expected in (
        "Audit criteria",
        org_a.name,
        "ISO/IEC 20000-1:2018",
        org_a.scope,
        "Head office Lujiazui",
        f"Opening meeting {opened.isoformat()}",
        "Certification recommendation",
        "Certification can be recommended",
        "Stage 2 audit",
        f"Generated {org_a.local_today().isoformat()}",
    ):
        assert expected in text, expected
    assert "generated-" not in text  # the placeholder of the cache key never shows


def test_the_report_of_many_findings_lists_them_all_in_an_appendix_in_chinese(
    client, org_a, admin, chen, body, tmp_path
):
    from audits.models import Finding

    audit = held_audit(org_a, admin, chen, AuditKind.STAGE2, body=body, grade=None)
    grades = ["minor", "major", "observation", "ofi"]
    Finding.objects.bulk_create(
        Finding(
            organization=org_a,
            audit=audit,
            number=n,
            reference=f"A{audit.number}-F{n}",
            grade=grades[n % 4],
            clause=clause("8.6.1"),
            statement=f"第{n}项：事件在未经客户确认的情况下关闭",
            objective_evidence=f"INC-{n}",
        )
        for n in range(1, 46)
    )
    client.force_login(admin)
    text = pdf_text(client, org_a, audit, tmp_path, lang="zh-hans")
    flat = "".join(text.split())
    assert "附录：全部审核发现" in flat and "审核发现汇总" in flat and "审核准则" in flat
    for n in (1, 23, 45):
        assert f"A{audit.number}-F{n}·8.6.1" in flat and f"第{n}项：事件在未经客户确认" in flat
    assert "严重不符合项(12)" in flat and "轻微不符合项(11)" in flat  # 1, 5, … 45 / 4, … 44


def test_the_api_records_the_opening_meeting(api_client, org_a, audit, chen, members):
    api_client.force_authenticate(chen)
    target = reverse("audits-api:audit-opening-meeting", kwargs={"pk": audit.pk})
    today = org_a.local_today()
    bad = api_client.post(target, {"held_on": "not a date"}, format="json")
    assert bad.status_code == 400 and "held_on" in bad.json()
    future = api_client.post(target, {"held_on": str(today + timedelta(days=1))}, format="json")
    assert future.status_code == 400
    ok = api_client.post(target, {"held_on": str(today)}, format="json")
    assert ok.status_code == 200 and ok.json()["opening_meeting_on"] == str(today)
    assert ok.json()["status"] == "in_progress"
    # The external lead auditor (not a member) records the closing meeting as well.
    closing = reverse("audits-api:audit-closing-meeting", kwargs={"pk": audit.pk})
    closed = api_client.post(closing, {"held_on": str(today)}, format="json")
    assert closed.status_code == 200 and closed.json()["closing_meeting_on"] == str(today)
    api_client.force_authenticate(members[Role.VIEWER])
    assert api_client.post(target, {"held_on": str(today)}, format="json").status_code == 403


def test_the_api_list_computes_outcomes_in_constant_queries(
    api_client, org_a, admin, chen, body, django_assert_max_num_queries
):
    api_client.force_authenticate(admin)
    target = reverse("audits-api:audit-list")
    params = {"organization": org_a.slug}

    def grow(n):
        for i in range(n):
            held_audit(org_a, admin, chen, AuditKind.SURVEILLANCE, body=body, statement=f"{i}")

    grow(2)  # besides the stage 2 audit of the fixtures
    api_client.get(target, params)
    with django_assert_max_num_queries(12) as small:
        assert api_client.get(target, params).status_code == 200
    grow(6)
    with django_assert_max_num_queries(12) as large:
        response = api_client.get(target, params)
    assert len(small.captured_queries) == len(large.captured_queries)
    rows = [r for r in response.json()["results"] if r["kind"] == "surveillance"]
    assert len(rows) == 8 and {row["outcome"]["kind"] for row in rows} == {"maintenance"}
    for row in rows:  # each outcome names its own audit's finding
        assert row["outcome"]["reasons"][0].startswith(
            f"Minor nonconformity {row['reference']}-F1:"
        )


def test_a_planned_audit_says_nothing_is_concluded_yet(client, org_a, admin, body):
    audit = services.audit_create(
        organization=org_a,
        actor=admin,
        kind=AuditKind.STAGE2,
        title="Stage 2",
        certification_body=body,
        planned_start=date(2027, 2, 1),
        planned_end=date(2027, 2, 2),
    )
    client.force_login(admin)
    html = client.get(
        reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})
    ).content.decode()
    assert "Certification cannot be recommended yet" in html
    assert "The closing meeting has not been held yet." in html


def test_the_report_is_laid_out_again_only_when_its_content_changes(
    org_a, audit, chen, monkeypatch
):
    from weasyprint import HTML

    from audits import reports

    monkeypatch.setattr(reports, "_cache", reports.OrderedDict())
    layouts = []
    write_pdf = HTML.write_pdf

    def counting(self, *args, **kwargs):
        layouts.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counting)
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="first text"
    )
    first = reports.audit_report_pdf(audit)
    again = reports.audit_report_pdf(audit)
    assert again == first and len(layouts) == 1  # same content: the cached PDF
    assert reports.audit_report_pdf(audit, language="zh-hans") != first and len(layouts) == 2
    services.finding_update(finding=finding, actor=chen, statement="second text")
    changed = reports.audit_report_pdf(audit)
    assert changed != first and len(layouts) == 3
    monkeypatch.setattr(reports, "_cache_entries", lambda: 1)
    reports.audit_report_pdf(audit)  # a hit: still one entry
    reports.audit_report_pdf(audit, language="zh-hans")
    assert len(reports._cache) == 1 and len(layouts) == 4  # the oldest went out


def test_an_area_of_concern_is_recorded_as_resolved_page_and_api(
    client, api_client, org_a, admin, chen, body, members
):
    audit = services.audit_create(
        organization=org_a,
        actor=admin,
        kind=AuditKind.STAGE1,
        title="Stage 1 audit",
        certification_body=body,
        planned_start=org_a.local_today() - timedelta(days=2),
        planned_end=org_a.local_today() - timedelta(days=1),
    )
    services.assignment_add(audit=audit, actor=admin, user=chen, role="lead")
    concern = services.finding_record(
        audit=audit, actor=chen, grade="concern", statement="CIs of mobile banking missing"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    services.audit_close(audit=audit, actor=admin)  # resolved after stage 1 is closed
    url = reverse("audits:concern_resolve", kwargs={"org_slug": org_a.slug, "pk": concern.pk})
    detail = reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})

    client.force_login(members[Role.CONTRIBUTOR])
    assert client.get(url).status_code == 403
    client.force_login(admin)
    assert 'data-testid="concern-open"' in client.get(detail).content.decode()
    typed = "CIs recorded with their relationships — 移动银行配置项已记录"
    refused = client.post(
        url,
        {
            "resolved_on": (org_a.local_today() + timedelta(days=3)).isoformat(),
            "resolution": typed,
            "version": concern.version,
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "This date is in the future." in page and typed in page  # nothing typed is lost
    no_text = client.post(
        url, {"resolved_on": org_a.local_today().isoformat(), "version": concern.version}
    )
    assert no_text.status_code == 400
    assert "Say how the area of concern was resolved." in no_text.content.decode()
    done = client.post(
        url,
        {
            "resolved_on": org_a.local_today().isoformat(),
            "resolution": typed,
            "version": concern.version,
        },
    )
    assert done.status_code == 302
    concern.refresh_from_db()
    assert concern.resolved_on == org_a.local_today() and concern.resolution == typed
    html = client.get(detail).content.decode()
    assert 'data-testid="concern-resolved"' in html and "Its 1 area of concern is resolved." in html
    stale = client.post(url, {"resolved_on": "", "resolution": "", "version": 1})
    assert stale.status_code == 409

    api_client.force_authenticate(admin)
    api = reverse("audits-api:finding-resolve", kwargs={"pk": concern.pk})
    assert api_client.post(api, {"resolved_on": None}, format="json").status_code == 400
    reopened = api_client.post(
        api, {"resolved_on": None, "version": concern.version}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json()["resolved_on"] is None
    api_client.force_authenticate(members[Role.CONTRIBUTOR])
    assert (
        api_client.post(api, {"resolved_on": None, "version": 9}, format="json").status_code == 403
    )
    minor = services.finding_record(
        audit=services.audit_create(
            organization=org_a,
            actor=admin,
            kind=AuditKind.INTERNAL,
            title="Internal",
            planned_start=org_a.local_today(),
            planned_end=org_a.local_today(),
        ),
        actor=admin,
        grade="observation",
        statement="s",
    )
    not_a_concern = reverse(
        "audits:concern_resolve", kwargs={"org_slug": org_a.slug, "pk": minor.pk}
    )
    client.force_login(admin)
    page = client.get(not_a_concern)
    assert page.status_code == 200 and 'data-testid="not-a-concern"' in page.content.decode()
    assert 'data-testid="concern-form"' not in page.content.decode()
    refused = client.post(
        not_a_concern, {"resolved_on": org_a.local_today().isoformat(), "resolution": "x"}
    )
    assert refused.status_code == 400
    minor.refresh_from_db()
    assert minor.resolved_on is None
