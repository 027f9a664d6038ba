"""One export helper for every list page: the page's rows, as filtered, as CSV or XLSX.

CSV is UTF-8 with a BOM (Excel then reads Chinese) and every text cell that a spreadsheet would
run as a formula is prefixed with a quote (CSV injection). XLSX cells are typed: text is written
as a string cell, never as a formula, whatever it starts with; numbers and dates stay numbers and
dates. A list page mixes in ``ExportMixin`` and says what a row is (``export_table``); its page
offers the two links (``{% include "itsms/_export_links.html" %}``), which repeat the page's
query string with ``export=csv`` or ``export=xlsx``, so the file holds what the page shows.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, HttpResponseBadRequest

#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: The query parameter a list page reads to answer with a file instead of HTML.
EXPORT_PARAM = "export"
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Parameters of a list page that are not filters and never travel into an export link.
NOT_FILTERS = ("page", EXPORT_PARAM, "table")
#: The query parameter naming which table of a page with several is exported.
TABLE_PARAM = "table"
MAIN = "main"


def safe_cell(value) -> str:
    """The cell as CSV text, prefixed with a quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(values) -> list[str]:
    return [safe_cell(value) for value in values]


def unguard(text: str) -> str:
    """The text ``safe_cell`` was given back (for imports of files this module wrote)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _csv_value(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value):
    """A write-only cell of ``sheet``: text as text (never a formula), numbers and dates typed."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; the value is local time
    if value is None:
        value = ""
    if not isinstance(value, (int, float, decimal.Decimal, datetime.date, bool, str)):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, title: str = "Export") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_cell(sheet, str(h)) for h in header])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """An attachment; ``filename`` is ASCII (organisation slugs are [a-z0-9-])."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def table_response(*, fmt: str, basename: str, header, rows, title: str = "Export"):
    """The table as a CSV or XLSX download named ``<basename>.<fmt>``."""
    if fmt == "xlsx":
        content, content_type = xlsx_bytes(header, rows, title=title), XLSX_TYPE
    else:
        content, content_type = csv_bytes(header, rows), "text/csv; charset=utf-8"
    return file_response(content, filename=f"{basename}.{fmt}", content_type=content_type)


def export_query(query_dict, fmt: str, table: str = MAIN) -> str:
    """The page's query string, without its page number, asking for ``fmt`` of ``table``."""
    query = query_dict.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    query[EXPORT_PARAM] = fmt
    if table != MAIN:
        query[TABLE_PARAM] = table
    return query.urlencode()


def refused_filters(context) -> list[tuple[str, list[str]]]:
    """Each refused filter of the page's filter sets: a download has no form to show them on."""
    from django_filters import FilterSet

    refused = []
    for value in context.values():
        if isinstance(value, FilterSet) and value.is_bound and not value.is_valid():
            refused += [(name, list(msgs)) for name, msgs in value.form.errors.items()]
    return refused


class ExportMixin:
    """A list page that also answers ``?export=csv|xlsx`` with its rows as filtered.

    ``export_table(context, table)`` returns ``(header, rows)`` from the page's own context, so
    the file holds exactly the rows the filters select (all of them, not one page of them).
    ``export_name`` names the file (``<export_name>-<org slug>.<fmt>``); a page with several
    tables lists them in ``export_tables`` (the first is ``main``, the others add
    ``table=<name>`` and ``-<name>`` to the file name).
    """

    export_name = "export"
    export_tables: tuple[str, ...] = (MAIN,)
    #: True while the view answers with a file: the context may skip what only the page shows.
    exporting = False

    def export_format(self):
        fmt = self.request.GET.get(EXPORT_PARAM)
        return fmt if fmt in FORMATS else None

    def export_table(self, context, table) -> tuple[Sequence, Iterable[Sequence]]:
        raise NotImplementedError  # pragma: no cover

    def export_table_name(self):
        table = self.request.GET.get(TABLE_PARAM, MAIN)
        return table if table in self.export_tables else MAIN

    def get(self, request, *args, **kwargs):
        fmt = self.export_format()
        if fmt is None:
            return super().get(request, *args, **kwargs)
        self.exporting = True
        context = self.get_context_data(**kwargs)
        refused = refused_filters(context)
        if refused:
            return HttpResponseBadRequest(
                "\n".join(f"{name}: {' '.join(messages)}" for name, messages in refused),
                content_type="text/plain; charset=utf-8",
            )
        table = self.export_table_name()
        header, rows = self.export_table(context, table)
        suffix = "" if table == MAIN else f"-{table}"
        return table_response(
            fmt=fmt,
            basename=f"{self.export_name}{suffix}-{self.organization.slug}",
            header=header,
            rows=rows,
            title=self.export_name,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_links"] = {
            table: [
                (fmt.upper(), "?" + export_query(self.request.GET, fmt, table)) for fmt in FORMATS
            ]
            for table in self.export_tables
        }
        return context
