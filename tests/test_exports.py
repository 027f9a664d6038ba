"""Every list page offers CSV and XLSX of its rows, as filtered, through the one export helper.

The pages are found from the URL configuration (every organisation route whose view is a list
page), so a new list page without exports fails ``test_every_list_page_exports``.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from itsms.shared.exports import ExportMixin, safe_cell, unguard
from tests.harness.world import plant

MARKER = "EXPMARK"

#: route name -> (table, the page's filter that keeps the planted row out)
LIST_PAGES = {
    "itsms:evidence_list": [("main", {"q": "zzz-no-such-evidence"})],
    "itsms:member_list": [("main", None)],
    "processes:service_list": [("main", {"status": "retired"})],
    "processes:process_list": [("main", {"mine": "true"})],
    "audits:audit_list": [("main", {"year": "1999"}), ("actions", {"grade": "major"})],
    "certification:certificate_list": [("main", None)],
    "sms:risk_list": [("main", {"q": "zzz-no-such-record"})],
    "sms:objective_list": [("main", {"q": "zzz-no-such-record"})],
    "sms:supplier_list": [("main", {"q": "zzz-no-such-record"})],
    "sms:agreement_list": [("main", {"q": "zzz-no-such-record"})],
    "sms:improvement_list": [("main", {"q": "zzz-no-such-record"})],
}
#: list-like routes that are not registers of the organisation, with the reason
NOT_REGISTERS = {
    "itsms:notification_list": "a user's own inbox, not a register of the organisation",
}


def _routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def test_every_list_page_exports():
    """Each organisation page named a list (``*ListView``) mixes in the export helper."""
    found = {}
    for name, pattern in _routes():
        view = getattr(pattern.callback, "view_class", None)
        if view is None or "org_slug" not in str(pattern.pattern):
            continue
        if view.__name__.endswith("ListView") or issubclass(view, ExportMixin):
            found[name] = view
    missing = {name for name, view in found.items() if not issubclass(view, ExportMixin)} - set(
        NOT_REGISTERS
    )
    assert not missing, f"list pages without CSV/XLSX export: {sorted(missing)}"
    assert set(LIST_PAGES) == {n for n, v in found.items() if issubclass(v, ExportMixin)}


def _read(response, fmt):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


CASES = [(name, table, narrow) for name, tables in LIST_PAGES.items() for table, narrow in tables]


@pytest.mark.parametrize("name,table,narrow", CASES)
def test_list_page_offers_csv_and_xlsx_with_its_filters(
    client, org_a, members, name, table, narrow
):
    plant(org_a, MARKER)
    client.force_login(members["admin"])
    url = reverse(name, kwargs={"org_slug": org_a.slug})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for fmt in ("csv", "xlsx"):
        assert f'data-export="{fmt}"' in html
    table_q = {} if table == "main" else {"table": table}
    for fmt in ("csv", "xlsx"):
        response = client.get(url, {"export": fmt, **table_q})
        assert response.status_code == 200, response.content[:300]
        assert f".{fmt}" in response["Content-Disposition"]
        rows = _read(response, fmt)
        assert len(rows) >= 2, rows
        assert any(MARKER in cell for row in rows[1:] for cell in row), rows
        if narrow:
            response = client.get(url, {"export": fmt, **table_q, **narrow})
            assert response.status_code == 200
            narrowed = _read(response, fmt)
            assert narrowed[0] == rows[0]
            assert not any(MARKER in cell for row in narrowed[1:] for cell in row), narrowed


@pytest.mark.parametrize("name", [n for n, tables in LIST_PAGES.items() if tables[0][1]])
def test_export_links_carry_the_page_filters(client, org_a, members, name):
    client.force_login(members["admin"])
    narrow = LIST_PAGES[name][0][1]
    page = client.get(reverse(name, kwargs={"org_slug": org_a.slug}), {**narrow, "page": "2"})
    html = page.content.decode()
    key, value = next(iter(narrow.items()))
    assert f"{key}={value}&amp;export=csv" in html
    assert "page=2&amp;export" not in html


def test_refused_filter_answers_400_not_a_file(client, org_a, members):
    client.force_login(members["admin"])
    url = reverse("audits:audit_list", kwargs={"org_slug": org_a.slug})
    response = client.get(url, {"export": "xlsx", "year": "not-a-year"})
    assert response.status_code == 400
    assert b"year" in response.content


def test_formula_injection_guarded_in_both_formats(client, org_a, members):
    from processes.tests.factories import ServiceFactory

    ServiceFactory(organization=org_a, name='=HYPERLINK("http://evil")', description="@SUM(1)")
    client.force_login(members["admin"])
    url = reverse("processes:service_list", kwargs={"org_slug": org_a.slug})
    csv_text = client.get(url, {"export": "csv"}).content.decode()
    assert "'=HYPERLINK" in csv_text and "'@SUM(1)" in csv_text
    content = client.get(url, {"export": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil")']
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula


def test_guard_round_trips():
    for text in ("=1+1", "-5", "plain", "'quoted", "@x"):
        assert unguard(safe_cell(text)) == text
