from django.http import HttpResponse
from django.utils.text import slugify
from django.views.generic import View

from ..models import Audit
from ..reports import audit_report_pdf
from .base import AuditMixin


class AuditReportPdfView(AuditMixin, View):
    """The audit report PDF, with the same permissions as the audit page."""

    model = Audit

    def get(self, request, *args, **kwargs):
        audit = self.get_audit()
        pdf = audit_report_pdf(audit, language=request.GET.get("lang") or None)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(f"audit-report-{audit.organization.slug}-{audit.pk}") or "audit-report"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
