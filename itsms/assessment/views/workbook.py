"""Pages of the gap-assessment workbook: the template, the export, the upload, the preview."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.evidence.validation import UploadRefused, check_upload
from itsms.models import (
    ClauseAssessment,
    ImportPreview,
    OtherParty,
    PreviewState,
    RowOutcome,
    Status,
)
from itsms.shared.exports import XLSX_TYPE, file_response
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import imports, workbook
from ..selectors import leaf_clauses

IMPORT_EXTENSIONS = ("xlsx", "csv")


class AssessmentWorkbookView(OrganizationMixin, View):
    """``?format=xlsx|csv``: the assessment in the import format; ``?template=1``: blank."""

    model = ClauseAssessment

    def get(self, request, *args, **kwargs):
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        if request.GET.get("template"):
            rows = [
                ClauseAssessment(organization=self.organization, clause=c) for c in leaf_clauses()
            ]
            basename = "gap-assessment-template"
        else:
            rows = list(
                self.get_queryset().select_related("clause", "owner").order_by("clause__order")
            )
            basename = f"gap-assessment-{self.organization.slug}"
        if fmt == "csv":
            content, content_type = workbook.csv_bytes(rows), "text/csv; charset=utf-8"
        else:
            content, content_type = workbook.xlsx(rows), XLSX_TYPE
        return file_response(content, filename=f"{basename}.{fmt}", content_type=content_type)


class AssessmentImportView(OrganizationMixin, TemplateView):
    """Upload a workbook: its dry run is stored and shown; nothing changes yet."""

    capability = Capability.CHANGE_ORGANIZATION
    template_name = "itsms/assessment/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accept"] = ",".join("." + ext for ext in IMPORT_EXTENSIONS)
        return context

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        error = None
        if upload is None:
            error = _("Choose a file to upload.")
        else:
            try:
                checked = check_upload(upload)
            except UploadRefused as exc:
                error = str(exc)
            else:
                if checked.extension not in IMPORT_EXTENSIONS:
                    error = _("Upload an XLSX workbook or a CSV file.")
        if error is None and checked.size <= settings.IMPORT_BACKGROUND_BYTES:
            try:
                rows = workbook.read(upload, checked.extension)
            except workbook.UnreadableFile as exc:
                error = str(exc)
        if error is not None:
            return self.render_to_response(self.get_context_data(error=error), status=400)
        if checked.size > settings.IMPORT_BACKGROUND_BYTES:
            upload.seek(0)
            preview = imports.preview_pending(
                organization=self.organization,
                actor=request.user,
                content=upload.read(),
                extension=checked.extension,
                file_name=checked.name,
            )
            self.created(preview)
            return redirect(
                "itsms:assessment_import_preview", org_slug=self.organization.slug, pk=preview.pk
            )
        preview = imports.preview_gap_assessment(
            organization=self.organization, actor=request.user, rows=rows, file_name=checked.name
        )
        self.created(preview)
        return redirect(
            "itsms:assessment_import_preview", org_slug=self.organization.slug, pk=preview.pk
        )


class ImportPreviewView(OrganizationMixin, TemplateView):
    """The dry run: new, changed (before → after), unchanged and refused rows; apply it."""

    model = ImportPreview
    capability = Capability.CHANGE_ORGANIZATION
    template_name = "itsms/assessment/import_preview.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("progress"):
            preview = self.get_object()
            if preview.state != PreviewState.PENDING:
                response = HttpResponse(status=200)
                response["HX-Refresh"] = "true"  # the preview (or its error) is ready: reload
                return response
            return self.render_to_response(
                {"preview": preview, "organization": self.organization},
                template_name="itsms/assessment/_import_progress.html",
            )
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name:
            return self.response_class(
                request=self.request, template=[template_name], context=context, **kwargs
            )
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.get_object()
        labels = dict(RowOutcome.choices)
        field_labels = {key: str(label) for key, label in workbook.COLUMNS}
        shown = {"status": dict(Status.choices), "other_party": dict(OtherParty.choices)}

        def show(field, value):
            if field in shown:
                value = shown[field].get(value, value)
            return "" if value in (None, "") else str(value)  # 0 shows as 0, not as "—"

        rows = [
            {
                **row,
                "outcome_label": labels.get(row["outcome"], row["outcome"]),
                "change_list": [
                    (field_labels.get(field, field), show(field, before), show(field, after))
                    for field, (before, after) in row.get("changes", {}).items()
                ],
            }
            for row in preview.rows
        ]
        context.update(
            preview=preview,
            rows=rows,
            counts=[(labels[o], o, preview.count(o)) for o in RowOutcome.values],
        )
        return context

    def post(self, request, *args, **kwargs):
        preview = self.get_object()
        try:
            written = imports.apply_preview(preview=preview, actor=request.user)
        except imports.ImportRefused as exc:
            messages.error(request, str(exc))
            return redirect(
                "itsms:assessment_import_preview", org_slug=self.organization.slug, pk=preview.pk
            )
        messages.success(request, _("Imported: %(count)s clauses changed.") % {"count": written})
        return redirect("itsms:assessment", org_slug=self.organization.slug)
