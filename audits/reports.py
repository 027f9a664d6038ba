"""The audit report as a PDF (WeasyPrint). Chinese renders with Noto Sans CJK SC.

The layout is chosen to stay fast with hundreds of findings (the benchmark's audit has 600):
a summary first, then every finding as a short paragraph grouped by type, in an appendix once
there are more than ``INLINE_FINDINGS``. WeasyPrint spends its time laying out auto-sized
tables and embedding font faces, so the findings are not a table and the report uses one face.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors
from .models import Grade
from .models.audit import STAGES_HELP

#: Up to this many findings are listed in the body; more go to an appendix on its own pages.
INLINE_FINDINGS = 30

GRADE_ORDER = (Grade.MAJOR, Grade.MINOR, Grade.CONCERN, Grade.OBSERVATION, Grade.OFI)


def report_context(audit) -> dict:
    findings = selectors.findings_of(audit)
    outcome = selectors.outcome_for(audit)
    by_grade = {grade: [] for grade in GRADE_ORDER}
    for finding in findings:
        by_grade[finding.grade].append(finding)
    return {
        "audit": audit,
        "organization": audit.organization,
        "findings": findings,
        "groups": [
            {"label": Grade(grade).label, "findings": items}
            for grade, items in by_grade.items()
            if items
        ],
        "summary": [
            {"label": Grade(grade).label, "count": len(items)}
            for grade, items in by_grade.items()
            if items or grade != Grade.CONCERN
        ],
        "appendix": len(findings) > INLINE_FINDINGS,
        "team": selectors.active_assignments(audit),
        "outcome": outcome,
        "areas_of_concern": selectors.areas_of_concern(audit, outcome),
        "stages_help": STAGES_HELP,
        "scope_clauses": list(audit.scope_clauses.order_by("order")),
        "scope_processes": list(audit.scope_processes.select_related("clause")),
        "scope_services": list(audit.scope_services.all()),
        "generated": timezone.localtime(timezone.now(), audit.organization.zoneinfo),
    }


def audit_report_pdf(audit, *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override(language or audit.organization.language):
        html = render_to_string("audits/report.html", report_context(audit))
    return HTML(string=html).write_pdf()
