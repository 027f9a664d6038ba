"""The readiness (gap-analysis) report as a PDF, for steering committees and management."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import readiness
from . import selectors as gap


def readiness_report_pdf(organization, *, language: str | None = None) -> bytes:
    """The report in ``language`` (default: the organisation's), clause headings included."""
    from weasyprint import HTML

    with translation.override(language or organization.language):
        html = render_to_string("itsms/report_readiness.html", _context(organization))
    return HTML(string=html).write_pdf()


def _context(organization) -> dict:
    nodes, score = gap.assessment_tree(organization)
    evidenced = gap.evidenced_readiness_of(organization)
    today = organization.local_today()
    leaves = [n for n in nodes if n["assessment"] is not None]
    context = {
        "organization": organization,
        "score": score,
        "evidenced": evidenced,
        "nodes": nodes,
        "chapters": [
            {
                "number": number,
                "percent": pct,
                "evidenced": evidenced.heading_percent(number) or 0,
                "title": next(n["clause"].title for n in nodes if n["clause"].number == number),
            }
            for number, pct in score.chapters()
        ],
        "overdue": [n for n in leaves if n["assessment"].is_overdue(today)],
        "generated": timezone.localtime(timezone.now(), organization.zoneinfo),
        "rule": readiness.RULE_TEXT,
    }
    return context
