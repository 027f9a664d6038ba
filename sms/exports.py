"""The registers as CSV for Excel: the page's filters applied, UTF-8 with a BOM (Excel opens
Chinese text), every cell through the project's formula-injection guard
(``itsms.shared.exports.safe_cell``). Each register lists its columns; XLSX arrives with the
shared export helper (issue 16) and will read the same columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itsms.shared.exports import BOM, safe_cell

Column = tuple[str, Callable]


def _date(value) -> str:
    return value.isoformat() if value else ""


def _person(user) -> str:
    return user.email if user else ""


def _joined(values: Iterable) -> str:
    return "; ".join(str(v) for v in values)


def common_columns() -> list[Column]:
    """The columns every register shares, after its own."""
    return [
        (gettext_lazy("Owner"), lambda r: _person(r.owner)),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Review by"), lambda r: _date(r.review_by)),
        (gettext_lazy("Clauses"), lambda r: _joined(c.number for c in r.clauses.all())),
        (
            gettext_lazy("Processes"),
            lambda r: _joined(f"{p.clause.number} {p.clause.title}" for p in r.processes.all()),
        ),
        (gettext_lazy("Services"), lambda r: _joined(s.name for s in r.services.all())),
        (gettext_lazy("Evidence"), lambda r: _joined(e.title for e in r.evidence.all())),
    ]


def risk_columns(scale) -> list[Column]:
    def level(score):
        found = scale.level_of(score)
        return str(dict(_levels())[found]) if found else ""

    return [
        (gettext_lazy("Reference"), lambda r: r.reference),
        (gettext_lazy("Risk or opportunity"), lambda r: r.get_kind_display()),
        (gettext_lazy("Category"), lambda r: r.get_category_display()),
        (gettext_lazy("Title"), lambda r: r.title),
        (gettext_lazy("Description"), lambda r: r.description),
        (gettext_lazy("Cause"), lambda r: r.cause),
        (gettext_lazy("Consequence"), lambda r: r.consequence),
        (gettext_lazy("Likelihood"), lambda r: r.likelihood),
        (gettext_lazy("Impact"), lambda r: r.impact),
        (gettext_lazy("Score before treatment"), lambda r: r.inherent_score),
        (gettext_lazy("Level before treatment"), lambda r: level(r.inherent_score)),
        (gettext_lazy("Treatment"), lambda r: r.get_treatment_display()),
        (gettext_lazy("Treatment notes"), lambda r: r.treatment_notes),
        (gettext_lazy("Residual likelihood"), lambda r: r.residual_likelihood or ""),
        (gettext_lazy("Residual impact"), lambda r: r.residual_impact or ""),
        (gettext_lazy("Residual score"), lambda r: r.residual_score or ""),
        (gettext_lazy("Residual level"), lambda r: level(r.residual_score)),
        (gettext_lazy("Open actions"), lambda r: getattr(r, "open_actions", "")),
        *common_columns(),
    ]


def _levels():
    from .models import RiskLevel

    return RiskLevel.choices


def objective_columns() -> list[Column]:
    return [
        (gettext_lazy("Reference"), lambda r: r.reference),
        (gettext_lazy("Objective"), lambda r: r.title),
        (gettext_lazy("Description"), lambda r: r.description),
        (gettext_lazy("Measure"), lambda r: r.measure),
        (gettext_lazy("KPI"), lambda r: r.kpi.name if r.kpi_id else ""),
        (gettext_lazy("Target"), lambda r: r.target_display),
        (gettext_lazy("Current value"), lambda r: r.format_value(r.value)),
        (gettext_lazy("Met"), lambda r: _met(r.met)),
        (gettext_lazy("Due date"), lambda r: _date(r.due_date)),
        (gettext_lazy("What will be done"), lambda r: r.plan_what),
        (gettext_lazy("Resources required"), lambda r: r.plan_resources),
        (gettext_lazy("Who is responsible"), lambda r: r.plan_responsible),
        (gettext_lazy("When it will be completed"), lambda r: r.plan_when),
        (gettext_lazy("How results are evaluated"), lambda r: r.plan_evaluation),
        *common_columns(),
    ]


def _met(value) -> str:
    if value is None:
        return ""
    return _("Met") if value else _("Not met")


def supplier_columns() -> list[Column]:
    return [
        (gettext_lazy("Reference"), lambda r: r.reference),
        (gettext_lazy("Name"), lambda r: r.title),
        (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
        (gettext_lazy("What it supplies"), lambda r: r.description),
        (gettext_lazy("Contact"), lambda r: r.contact),
        (gettext_lazy("Agreements"), lambda r: getattr(r, "agreement_count", "")),
        (gettext_lazy("Clauses it operates"), lambda r: getattr(r, "clause_count", "")),
        *common_columns(),
    ]


def agreement_columns() -> list[Column]:
    return [
        (gettext_lazy("Reference"), lambda r: r.reference),
        (gettext_lazy("Title"), lambda r: r.title),
        (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
        (gettext_lazy("With"), lambda r: r.party),
        (gettext_lazy("Agreement number"), lambda r: r.agreement_number),
        (gettext_lazy("Starts on"), lambda r: _date(r.starts_on)),
        (gettext_lazy("Ends on"), lambda r: _date(r.ends_on)),
        (gettext_lazy("Targets"), lambda r: r.targets),
        (gettext_lazy("Last review"), lambda r: _date(getattr(r, "last_review_on", None))),
        (gettext_lazy("Last rating"), lambda r: getattr(r, "last_rating", None) or ""),
        *common_columns(),
    ]


def csv_text(columns: list[Column], rows: Iterable) -> str:
    """The rows as CSV text, BOM first; every cell guarded against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(label)) for label, _get in columns])
    for row in rows:
        writer.writerow([safe_cell(get(row)) for _label, get in columns])
    return BOM + buffer.getvalue()


def csv_response(columns: list[Column], rows: Iterable, filename: str) -> HttpResponse:
    """``filename`` is made of slugs and fixed words only: a safe name as it is."""
    response = HttpResponse(csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def improvement_columns() -> list[Column]:
    return [
        (gettext_lazy("Reference"), lambda r: r.reference),
        (gettext_lazy("Opportunity for improvement"), lambda r: r.title),
        (gettext_lazy("Description"), lambda r: r.description),
        (gettext_lazy("Source"), lambda r: r.get_source_display()),
        (gettext_lazy("Source reference"), lambda r: r.source_reference),
        (gettext_lazy("Raised on"), lambda r: _date(r.raised_on)),
        (gettext_lazy("Evaluation"), lambda r: r.evaluation),
        (gettext_lazy("Benefit"), lambda r: r.get_benefit_display()),
        (gettext_lazy("Decision taken"), lambda r: r.decision),
        (gettext_lazy("Decided on"), lambda r: _date(r.decided_on)),
        (gettext_lazy("Target date"), lambda r: _date(r.target_date)),
        (gettext_lazy("Implemented on"), lambda r: _date(r.implemented_on)),
        (gettext_lazy("Review of the effect"), lambda r: r.review_notes),
        (gettext_lazy("Reviewed on"), lambda r: _date(r.reviewed_on)),
        *common_columns(),
    ]
