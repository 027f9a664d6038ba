"""The audit report as a PDF (WeasyPrint). Chinese renders with Noto Sans CJK SC."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors


def audit_report_pdf(audit, *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    findings = selectors.findings_of(audit)
    context = {
        "audit": audit,
        "organization": audit.organization,
        "findings": findings,
        "by_grade": {
            grade: [f for f in findings if f.grade == grade]
            for grade in ("major", "minor", "observation", "ofi")
        },
        "team": selectors.active_assignments(audit),
        "recommendation": selectors.recommendation_for(audit, findings),
        "scope_clauses": list(audit.scope_clauses.order_by("order")),
        "scope_processes": list(audit.scope_processes.select_related("clause")),
        "scope_services": list(audit.scope_services.all()),
        "generated": timezone.localtime(timezone.now(), audit.organization.zoneinfo),
    }
    with translation.override(language or audit.organization.language):
        html = render_to_string("audits/report.html", context)
    return HTML(string=html).write_pdf()
