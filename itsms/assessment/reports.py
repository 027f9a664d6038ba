"""The readiness (gap-analysis) report as a PDF, for steering committees and management.

Its content is the dashboard's (``dashboard.readiness_context``); it is rendered in the
organisation's time zone (the generation time) and in its language unless asked otherwise.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from itsms.shared.timezones import organization_context

from .dashboard import readiness_context


def readiness_report_pdf(organization, *, language: str | None = None) -> bytes:
    """The report in ``language`` (default: the organisation's), clause headings included."""
    from weasyprint import HTML

    with organization_context(organization, language):  # titles read the active language
        html = render_to_string("itsms/report_readiness.html", _context(organization))
    return HTML(string=html).write_pdf()


def _context(organization) -> dict:
    context = readiness_context(organization, with_trend=False, with_changes=False)
    context["generated"] = timezone.now()
    return context
