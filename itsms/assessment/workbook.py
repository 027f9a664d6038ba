"""The gap assessment as a workbook: the import template, the export, and reading either back.

One format both ways, so export → edit in Excel → import changes nothing. The first sheet holds
one row per requirement clause under bilingual headers ("Clause · 条款"); the status, maturity
and "operated by" columns carry data-validation lists (from the hidden ``lists`` sheet); a
hidden ``about`` sheet carries the format marker (``FORMAT``, ``KIND``, ``VERSION``). CSV
files with the same headers are read too. Values are read as codes or as their labels in either
language, so a workbook exported in Chinese imports in English.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itsms.models import OtherParty, Status
from itsms.shared.exports import safe_cell, unguard, xlsx_cell

FORMAT = "itsms-workbench-import"
KIND = "gap_assessment"
VERSION = "1"
LANGUAGES = ("en", "zh-hans")

#: (key, English header) in the order of the sheet; the header shown is "English · 中文".
COLUMNS = (
    ("clause", gettext_lazy("Clause")),
    ("title", gettext_lazy("Title")),
    ("status", gettext_lazy("Status")),
    ("maturity", gettext_lazy("Maturity")),
    ("owner", gettext_lazy("Owner email")),
    ("target_date", gettext_lazy("Target date")),
    ("other_party", gettext_lazy("Operated by")),
    ("other_party_name", gettext_lazy("Name of the other party")),
    ("notes", gettext_lazy("Notes")),
)
#: Columns an import reads (the title is there for the reader only).
FIELDS = ("status", "maturity", "owner", "target_date", "other_party", "other_party_name", "notes")


class UnreadableFile(Exception):
    """The file is not a workbook of this format; the message says why."""


def _in(language, text):
    with translation.override(language):
        return str(text)


def header(label) -> str:
    english, chinese = _in("en", label), _in("zh-hans", label)
    return english if english == chinese else f"{english} · {chinese}"


def _choice_words(choices) -> dict[str, str]:
    """Every accepted spelling (code, label in each language, any case) → code."""
    words = {}
    for value, label in choices:
        words[value.casefold()] = value
        for language in LANGUAGES:
            words[_in(language, label).casefold()] = value
    return words


def status_words():
    return _choice_words(Status.choices)


def party_words():
    return _choice_words(OtherParty.choices)


def header_words() -> dict[str, str]:
    words = {}
    for key, label in COLUMNS:
        for spelling in (key, header(label), _in("en", label), _in("zh-hans", label)):
            words[spelling.strip().casefold()] = key
    return words


def _labels(choices):
    return [str(label) for _value, label in choices]


def row_values(assessment) -> list:
    """One clause's row as the sheet shows it (in the active language)."""
    return [
        assessment.clause.number,
        assessment.clause.title,
        assessment.get_status_display(),
        assessment.maturity,
        assessment.owner.email if assessment.owner_id else "",
        assessment.target_date,
        assessment.get_other_party_display(),
        assessment.other_party_name,
        assessment.notes,
    ]


def xlsx(assessments) -> bytes:
    """The template (or the export, when ``assessments`` are the organisation's rows)."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Gap assessment")[:31]
    sheet.append([header(label) for _key, label in COLUMNS])
    count = 0
    for assessment in assessments:
        sheet.append([xlsx_cell(sheet, v).value for v in row_values(assessment)])
        count += 1
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: never a formula
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHI", (10, 40, 22, 10, 28, 14, 28, 24, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"

    lists = workbook.create_sheet("lists")
    statuses, parties = _labels(Status.choices), _labels(OtherParty.choices)
    for index, label in enumerate(statuses, start=1):
        lists.cell(row=index, column=1, value=label).data_type = "s"
    for index, label in enumerate(parties, start=1):
        lists.cell(row=index, column=2, value=label).data_type = "s"
    lists.sheet_state = "hidden"
    last = max(count + 1, 500)
    for column, source, title in (
        ("C", f"lists!$A$1:$A${len(statuses)}", _("Status")),
        ("G", f"lists!$B$1:$B${len(parties)}", _("Operated by")),
    ):
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
        rule.error = _("Choose a value from the list.")
        rule.errorTitle = str(title)
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)
    maturity = DataValidation(type="whole", operator="between", formula1="0", formula2="5")
    maturity.error = _("Maturity is a whole number from 0 to 5.")
    maturity.add(f"D2:D{last}")
    sheet.add_data_validation(maturity)

    about = workbook.create_sheet("about")
    about.append(["format", FORMAT])
    about.append(["kind", KIND])
    about.append(["version", VERSION])
    about.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(assessments) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header(label) for _key, label in COLUMNS])
    for assessment in assessments:
        values = row_values(assessment)
        writer.writerow(
            [v.isoformat() if isinstance(v, datetime.date) else safe_cell(v) for v in values]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell_text(value) -> str | datetime.date:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read(upload, extension: str) -> list[tuple[int, dict]]:
    """The file's data rows as ``(line number, {key: value})``; raises ``UnreadableFile``."""
    if extension == "csv":
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_("The CSV file is not UTF-8 text.")) from exc
        table = [[unguard(cell) for cell in line] for line in csv.reader(io.StringIO(text))]
    elif extension == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise UnreadableFile(_("The workbook could not be read.")) from exc
        if "about" in workbook.sheetnames:
            marker = {
                str(r[0]): str(r[1])
                for r in workbook["about"].iter_rows(values_only=True)
                if r and len(r) > 1
            }
            if marker.get("format") == FORMAT and marker.get("kind") != KIND:
                raise UnreadableFile(_("This workbook is a template of another kind."))
            if marker.get("format") == FORMAT and marker.get("version") != VERSION:
                raise UnreadableFile(_("This workbook is of another version of the template."))
        sheet = workbook.worksheets[0]
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    else:
        raise UnreadableFile(_("Upload an XLSX workbook or a CSV file."))
    if not table:
        raise UnreadableFile(_("The file is empty."))
    words = header_words()
    keys = [words.get(str(cell).strip().casefold()) for cell in table[0]]
    if "clause" not in keys:
        raise UnreadableFile(
            _("The first row must hold the template's headers (the “Clause” column is missing).")
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {
            key: _cell_text(cell) if not isinstance(cell, str) else cell.strip()
            for key, cell in zip(keys, cells, strict=False)
            if key
        }
        if not any(values.get(key) not in ("", None) for key in values):
            continue  # an empty line
        rows.append((line, values))
    return rows
