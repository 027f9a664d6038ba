"""The findings and corrective actions of one audit as an XLSX workbook (openpyxl).

Written in openpyxl's write-only mode: rows go to disk as they are appended, so 600 findings
cost what one does. Three sheets: findings, corrective actions, and the evidence sampled
(where each version is in the pack, its SHA-256, whether it is in the pack).

Cells of text are written as strings, never as formulas: a statement that starts with ``=``
stays that text in Excel (the XLSX form of the formula-injection guard; the CSV exports
prefix a quote instead). Characters XML cannot hold are dropped.

(Issue 16 point 2 adds one export helper for every register; until it is on main this
workbook has its own small writer.)
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import selectors
from ..models import Audit

_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


class Sheet:
    """A write-only sheet with a bold, frozen header row and fixed column widths."""

    def __init__(self, workbook: Workbook, title: str, columns: list[tuple[str, int]]):
        self.sheet = workbook.create_sheet(title=title[:31])
        for index, (_label, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.append([label for label, _width in columns], header=True)

    def cell(self, value, header: bool = False):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(self.sheet, value=_clean(value))
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula
        if header:
            cell.font = _HEADER_FONT
        else:
            cell.alignment = _WRAP
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        return cell

    def append(self, values, header: bool = False) -> None:
        self.sheet.append([self.cell(value, header) for value in values])


def _clean(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _name(user) -> str:
    return user.get_full_name() if user else ""


def write_findings_workbook(path: str, audit: Audit, evidence_rows: list[dict]) -> None:
    """Write the workbook of ``audit`` to ``path``. ``evidence_rows`` describe the sampled
    versions as the pack holds them: ``sampled_in``, ``version``, ``path``, ``sha256``,
    ``included``, ``findings`` (the references of the findings it was sampled for),
    ``actions`` (those whose corrective action it was linked to). Datetimes are in the active
    time zone (the organisation's)."""
    workbook = Workbook(write_only=True)
    findings = selectors.findings_of(audit)
    by_finding: dict[str, list[str]] = {}
    by_action: dict[str, list[str]] = {}
    for row in evidence_rows:
        version = row["version"]
        text = f"E{version.evidence_id} v{version.number} {version.evidence.title}"
        text += f" → {row['path']}" if row["included"] else " — " + _("not in the pack")
        for reference in row["findings"]:
            by_finding.setdefault(reference, []).append(text)
        for reference in row["actions"]:
            by_action.setdefault(reference, []).append(text)

    sheet = Sheet(
        workbook,
        _("Findings"),
        [
            (_("Reference"), 12),
            (_("Grade"), 22),
            (_("Clause"), 10),
            (_("Clause heading"), 30),
            (_("Statement"), 60),
            (_("Requirement not met"), 40),
            (_("Objective evidence"), 40),
            (_("Evidence sampled"), 50),
            (_("Recorded by"), 20),
            (_("Recorded"), 18),
            (_("Response due"), 14),
            (_("Corrective action"), 18),
        ],
    )
    for finding in findings:
        action = getattr(finding, "corrective_action", None)
        sheet.append(
            [
                finding.reference,
                finding.get_grade_display(),
                finding.clause.number if finding.clause else "",
                finding.clause.title if finding.clause else "",
                finding.statement,
                finding.requirement,
                finding.objective_evidence,
                "\n".join(by_finding.get(finding.reference, [])),
                _name(finding.recorded_by),
                finding.recorded_at,
                finding.response_deadline,
                action.get_state_display() if action else "",
            ]
        )

    sheet = Sheet(
        workbook,
        _("Corrective actions"),
        [
            (_("Finding"), 12),
            (_("State"), 18),
            (_("Correction"), 40),
            (_("Root-cause analysis"), 50),
            (_("Corrective-action plan"), 50),
            (_("Owner"), 20),
            (_("Target date"), 12),
            (_("Submitted on"), 12),
            (_("Accepted on"), 12),
            (_("Implemented on"), 14),
            (_("Verified on"), 12),
            (_("Auditor's comment"), 40),
            (_("Evidence"), 50),
        ],
    )
    for finding in findings:
        action = getattr(finding, "corrective_action", None)
        if action is None:
            continue
        sheet.append(
            [
                finding.reference,
                action.get_state_display(),
                action.correction,
                action.root_cause,
                action.plan,
                _name(action.owner),
                action.target_date,
                action.submitted_on,
                action.accepted_on,
                action.implemented_on,
                action.verified_on,
                action.auditor_comment,
                "\n".join(by_action.get(finding.reference, [])),
            ]
        )

    sheet = Sheet(
        workbook,
        _("Evidence sampled"),
        [
            (_("Sampled in"), 24),
            (_("Evidence"), 10),
            (_("Title"), 40),
            (_("Version"), 9),
            (_("File in the pack"), 50),
            (_("Size (bytes)"), 12),
            (_("SHA-256"), 66),
            (_("Uploaded"), 18),
            (_("In the pack"), 30),
        ],
    )
    for row in evidence_rows:
        version = row["version"]
        sheet.append(
            [
                ", ".join(row["sampled_in"]),
                f"E{version.evidence_id}",
                version.evidence.title,
                version.number,
                row["path"] if row["included"] else "",
                version.size,
                version.sha256,
                version.uploaded_at,
                _("yes")
                if row["included"]
                else _("no: the stored file does not match its recorded SHA-256"),
            ]
        )
    workbook.save(path)
