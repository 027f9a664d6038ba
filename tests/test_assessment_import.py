"""The gap assessment in and out of Excel: template, export, dry run, apply, round-trips."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from itsms.assessment import imports, services, workbook
from itsms.models import ClauseAssessment, ImportPreview, Role

from .factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(org_a, members):
    services.gap_assessment_start(organization=org_a, actor=members[Role.CONSULTANT])
    return org_a


def _row(org, number):
    return ClauseAssessment.objects.get(organization=org, clause__number=number)


def _state(org):
    return sorted(
        ClauseAssessment.objects.filter(organization=org).values_list(
            "clause__number",
            "status",
            "maturity",
            "owner_id",
            "target_date",
            "other_party",
            "other_party_name",
            "notes",
            "version",
        )
    )


def _url(name, org, **kwargs):
    return reverse(f"itsms:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _fill(org, members):
    admin = members[Role.ADMIN]
    services.assessment_update(
        assessment=_row(org, "8.6.1"),
        actor=admin,
        status="partial",
        maturity=3,
        owner=members[Role.CONTRIBUTOR],
        target_date=datetime.date(2026, 6, 30),
        notes="=SUM(A1) 事件管理 — first draft\nsecond line",
    )
    services.assessment_update(
        assessment=_row(org, "8.2.3"),
        actor=admin,
        status="implemented",
        maturity=4,
        other_party="external_supplier",
        other_party_name="Acme Hosting 有限公司",
    )


def _upload(client, org, content, name):
    return client.post(
        _url("assessment_import", org), {"file": SimpleUploadedFile(name, content)}, follow=False
    )


def _preview_of(response):
    assert response.status_code == 302, response.content[:500]
    return ImportPreview.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([workbook.header(label) for _k, label in workbook.COLUMNS])
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt,language", [("xlsx", "en"), ("csv", "en"), ("xlsx", "zh-hans")])
def test_export_then_import_changes_nothing(client, started, members, fmt, language):
    _fill(started, members)
    client.force_login(members[Role.ADMIN])
    before = _state(started)
    url = _url("assessment_workbook", started) + ("?format=csv" if fmt == "csv" else "")
    exported = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert exported.status_code == 200
    preview = _preview_of(_upload(client, started, exported.content, f"gap.{fmt}"))
    assert preview.count("unchanged") == 57
    assert preview.changes == 0 and not preview.refused
    page = client.get(_url("assessment_import_preview", started, pk=preview.pk))
    assert b'data-testid="import-nothing"' in page.content
    assert _state(started) == before


def test_template_is_bilingual_with_lists_and_a_version_marker(client, started, members):
    client.force_login(members[Role.VIEWER])
    response = client.get(_url("assessment_workbook", started) + "?template=1")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Clause · 条款"
    assert sheet["C1"].value == "Status · 状态"
    assert sheet.max_row == 58
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert any(f and f.startswith("lists!") for f in formulas)
    assert book["lists"].sheet_state == "hidden"
    about = {r[0]: r[1] for r in book["about"].iter_rows(values_only=True)}
    assert about == {"format": workbook.FORMAT, "kind": "gap_assessment", "version": "1"}


def test_dry_run_refuses_each_bad_row_with_its_reason_and_changes_nothing(
    client, started, members, org_b
):
    outsider = UserFactory(email="outsider@b.example")
    MembershipFactory(organization=org_b, user=outsider, role=Role.ADMIN)
    client.force_login(members[Role.ADMIN])
    before = _state(started)
    history = ClauseAssessment.history.count()
    content = _sheet(
        [
            ["99.9", "", "Implemented", 3, "", None, "", "", ""],
            ["8", "", "Implemented", 3, "", None, "", "", ""],
            ["8.1", "", "Implemented", 3, "outsider@b.example", None, "", "", ""],
            ["8.2.1", "", "Implemented", 3, "nobody@nowhere.example", None, "", "", ""],
            ["8.2.2", "", "Implemented", 3, "", "31/02/2026", "", "", ""],
            ["8.3.1", "", "Not applicable", 0, "", None, "", "", ""],
            ["8.3.2", "", "Implemented", 9, "", None, "", "", ""],
            ["8.4.1", "", "Finished", 1, "", None, "", "", ""],
            ["8.5.3", "", "Planned", 1, "", None, "", "", ""],
            ["8.5.3", "", "Planned", 2, "", None, "", "", ""],
        ]
    )
    preview = _preview_of(_upload(client, started, content, "bad.xlsx"))
    reasons = {row["line"]: row.get("reason", "") for row in preview.rows}
    assert "Unknown clause" in reasons[2]
    assert "heading" in reasons[3]
    assert "Unknown member" in reasons[4]
    # A member of another organisation and an address nobody has: the same answer.
    assert reasons[5] == reasons[4].replace("outsider@b.example", "nobody@nowhere.example")
    assert "Bad date" in reasons[6]
    assert "clause 1.2" in reasons[7]
    assert "0 to 5" in reasons[8]
    assert "Unknown status" in reasons[9]
    assert preview.rows[8]["outcome"] == "changed"
    assert "already on line 10" in reasons[11]
    page = client.get(_url("assessment_import_preview", started, pk=preview.pk))
    html = page.content.decode()
    assert 'data-testid="import-blocked"' in html and "import-apply" not in html
    applied = client.post(_url("assessment_import_preview", started, pk=preview.pk), follow=True)
    assert "Some rows are refused" in applied.content.decode()
    assert _state(started) == before
    assert ClauseAssessment.history.count() == history


def test_apply_writes_every_change_as_the_importer(client, started, members):
    importer = members[Role.ADMIN]
    client.force_login(importer)
    contributor = members[Role.CONTRIBUTOR]
    content = _sheet(
        [
            ["8.1", "", "Implemented", 4, contributor.email.upper(), "2026-09-01", "", "", "ok"],
            ["8.2.3", "", "部分实施", 2, "", None, "External supplier", "Acme", ""],
            ["8.3.1", "", "Not started", 0, "", None, "", "", ""],
        ]
    )
    preview = _preview_of(_upload(client, started, content, "good.xlsx"))
    outcomes = [r["outcome"] for r in preview.rows]
    assert outcomes == ["changed", "changed", "unchanged"]
    assert preview.rows[0]["changes"]["status"] == ["not_started", "implemented"]
    assert preview.rows[0]["changes"]["owner"] == ["", contributor.email]
    page = client.get(_url("assessment_import_preview", started, pk=preview.pk)).content.decode()
    assert "Not started" in page and "Implemented" in page and "import-apply" in page
    untouched = _row(started, "8.3.1").history.count()
    client.post(_url("assessment_import_preview", started, pk=preview.pk))
    row = _row(started, "8.1")
    assert (row.status, row.maturity, row.owner, row.target_date, row.notes) == (
        "implemented",
        4,
        contributor,
        datetime.date(2026, 9, 1),
        "ok",
    )
    assert row.history.first().history_user == importer
    assert _row(started, "8.2.3").other_party_name == "Acme"
    assert _row(started, "8.2.3").status == "partial"
    assert _row(started, "8.3.1").history.count() == untouched  # unchanged: not written
    preview.refresh_from_db()
    assert preview.applied_at is not None
    with pytest.raises(imports.ImportRefused):
        imports.apply_preview(preview=preview, actor=importer)


def test_a_stale_preview_is_refused_and_nothing_is_half_applied(client, started, members):
    client.force_login(members[Role.ADMIN])
    content = _sheet(
        [
            ["4.1", "", "Implemented", 4, "", None, "", "", ""],
            ["8.1", "", "Implemented", 4, "", None, "", "", ""],
        ]
    )
    preview = _preview_of(_upload(client, started, content, "good.xlsx"))
    services.assessment_update(
        assessment=_row(started, "8.1"), actor=members[Role.CONSULTANT], notes="meanwhile"
    )
    before = _state(started)
    response = client.post(_url("assessment_import_preview", started, pk=preview.pk), follow=True)
    assert "was changed since this preview" in response.content.decode()
    assert _state(started) == before
    assert _row(started, "4.1").status == "not_started"


def test_import_into_an_assessment_not_started_creates_it(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    content = _sheet([["4.1", "", "Planned", 1, "", None, "", "", ""]])
    preview = _preview_of(_upload(client, org_a, content, "new.xlsx"))
    assert preview.rows[0]["outcome"] == "new"
    assert not ClauseAssessment.objects.filter(organization=org_a).exists()
    client.post(_url("assessment_import_preview", org_a, pk=preview.pk))
    assert _row(org_a, "4.1").status == "planned"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("gap.xlsx", b"not a zip at all, just text", "“gap.xlsx”"),
        ("gap.xlsm", b"PK\x03\x04", "not a type we accept"),
        ("gap.pdf", b"%PDF-1.4\n%%EOF\n", "XLSX workbook or a CSV"),
        ("gap.csv", b"Title,Notes\nx,y\n", "“Clause” column is missing"),
    ],
)
def test_unfit_uploads_are_refused_with_a_reason(client, started, members, name, content, message):
    client.force_login(members[Role.ADMIN])
    response = _upload(client, started, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportPreview.objects.exists()


def test_an_xlsx_of_another_kind_is_refused(client, started, members):
    client.force_login(members[Role.ADMIN])
    wb = openpyxl.Workbook()
    wb.active.append(["Clause"])
    about = wb.create_sheet("about")
    about.append(["format", workbook.FORMAT])
    about.append(["kind", "services"])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = _upload(client, started, buffer.getvalue(), "x.xlsx")
    assert response.status_code == 400
    assert "another kind" in response.content.decode()


@pytest.mark.parametrize("role,status", [(Role.CONTRIBUTOR, 403), (Role.VIEWER, 403)])
def test_only_those_who_run_the_assessment_import(client, started, members, role, status):
    client.force_login(members[role])
    response = _upload(client, started, _sheet([["4.1", "", "Planned"]]), "x.xlsx")
    assert response.status_code == status
    assert not ImportPreview.objects.exists()


def test_a_preview_of_another_organisation_is_not_found(client, started, members):
    other = OrganizationFactory()
    preview = ImportPreview.objects.create(organization=other, kind="gap_assessment", rows=[])
    client.force_login(members[Role.ADMIN])
    response = client.get(_url("assessment_import_preview", started, pk=preview.pk))
    assert response.status_code == 404


def test_preview_queries_do_not_grow_with_rows(started, members, django_assert_max_num_queries):
    numbers = list(
        ClauseAssessment.objects.filter(organization=started).values_list(
            "clause__number", flat=True
        )
    )

    def rows(n):
        return [(i + 2, {"clause": numbers[i % 57], "status": "Planned"}) for i in range(n)]

    with translation.override("en"):
        with django_assert_max_num_queries(8):
            imports.plan_rows(started, rows(10))
        with django_assert_max_num_queries(8):
            imports.plan_rows(started, rows(2000))


def test_the_bench_dry_run_of_5000_rows(started, members):
    from bench.jobs import run_import

    result = run_import()
    assert result["rows"] == 5000
    assert result["refused"] == 5000 - 57  # each clause once; the rest are duplicates
    assert result["queries"] <= 20
    assert result["seconds"] < 30  # the bench's target is 10 s; the test machine is shared


def test_preview_page_queries_do_not_grow_with_rows(client, started, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(members[Role.ADMIN])
    counts = []
    for n in (2, 57):
        numbers = list(
            ClauseAssessment.objects.filter(organization=started).values_list(
                "clause__number", flat=True
            )[:n]
        )
        content = _sheet([[number, "", "Planned", 1, "", None, "", "", ""] for number in numbers])
        preview = _preview_of(_upload(client, started, content, "x.xlsx"))
        url = _url("assessment_import_preview", started, pk=preview.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_large_file_is_read_in_the_background_with_progress(
    client, started, members, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 1000  # every workbook is "large" here
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(members[Role.ADMIN])
    content = _sheet([["8.1", "", "Implemented", 4, "", None, "", "", ""]])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        preview = _preview_of(_upload(client, started, content, "big.xlsx"))
    assert preview.state == "pending" and preview.rows == []
    url = _url("assessment_import_preview", started, pk=preview.pk)
    page = client.get(url).content.decode()
    assert 'data-testid="import-progress"' in page and "<progress" in page
    assert "import-apply" not in page
    polled = client.get(url, {"progress": "1"}, HTTP_HX_REQUEST="true")
    assert b"<progress" in polled.content and "HX-Refresh" not in polled
    with pytest.raises(imports.ImportRefused):
        imports.apply_preview(preview=preview, actor=members[Role.ADMIN])
    for callback in callbacks:
        callback()  # the task runs (eagerly) once the upload has committed
    preview.refresh_from_db()
    assert preview.state == "ready" and preview.source is None
    assert [r["outcome"] for r in preview.rows] == ["changed"]
    assert client.get(url, {"progress": "1"}, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    assert _row(started, "8.1").status == "not_started"
    client.post(url)
    assert _row(started, "8.1").status == "implemented"


def test_a_large_unreadable_file_fails_with_its_reason(
    client, started, members, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 5
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(members[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        preview = _preview_of(_upload(client, started, b"Title\nx\n", "big.csv"))
    preview.refresh_from_db()
    assert preview.state == "failed"
    page = client.get(_url("assessment_import_preview", started, pk=preview.pk)).content.decode()
    assert "“Clause” column is missing" in page
