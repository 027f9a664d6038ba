from django.http import HttpResponse
from django.utils.text import slugify
from django.views.generic import View

from ..models import Audit
from ..reports import audit_plan_pdf, audit_report_pdf
from .base import AuditMixin


def _pdf(audit, pdf: bytes, what: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{what}-{audit.organization.slug}-{audit.pk}") or what
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


class AuditReportPdfView(AuditMixin, View):
    """The audit report PDF, with the same permissions as the audit page."""

    model = Audit

    def get(self, request, *args, **kwargs):
        audit = self.get_audit()
        pdf = audit_report_pdf(audit, language=request.GET.get("lang") or None)
        return _pdf(audit, pdf, "audit-report")


class AuditPlanPdfView(AuditMixin, View):
    """The audit plan PDF (criteria, team, sessions), as the plan page shows it."""

    model = Audit

    def get(self, request, *args, **kwargs):
        audit = self.get_audit()
        pdf = audit_plan_pdf(audit, language=request.GET.get("lang") or None)
        return _pdf(audit, pdf, "audit-plan")
