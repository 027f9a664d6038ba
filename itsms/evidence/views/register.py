"""The evidence register, filtered and sorted, and its CSV export."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.shared import exports
from itsms.shared.permissions import Capability

from .. import selectors
from ..filters import EvidenceFilterSet
from .base import EvidenceMixin, filtered_register

PAGE_SIZE = 100


class EvidenceListView(exports.ExportMixin, EvidenceMixin, TemplateView):
    """The evidence register: filter, sort, export; upload from here."""

    template_name = "itsms/evidence/list.html"
    filterset_classes = (EvidenceFilterSet,)
    export_name = "evidence"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, deleted = filtered_register(self)
        context["filterset"] = filterset
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        if not (filterset.is_bound and filterset.form.cleaned_data.get("sort")):
            queryset = queryset.order_by("title", "pk")
        if self.exporting:
            context["export_rows"] = queryset
            return context
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        members = list(selectors.members(self.organization))
        form = filterset.form
        form.fields["owner"].widget = forms.Select(
            choices=[("", "---------")] + [(m.email, m.get_full_name() or m.email) for m in members]
        )
        processes = selectors.linkable(self.organization, "processes")
        services_ = selectors.linkable(self.organization, "services")
        for name, queryset_ in (("process", processes), ("service", services_)):
            if queryset_ is None:
                del form.fields[name]
            else:
                form.fields[name].widget = forms.Select(
                    choices=[("", "---------")] + [(o.pk, str(o)) for o in queryset_]
                )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            page=page,
            rows=page.object_list,
            today=self.organization.local_today(),
            deleted=deleted,
            can_upload=self.can(Capability.UPLOAD_EVIDENCE),
            can_restore=self.may_restore(),
            has_links=processes is not None,
            query=query.urlencode(),
        )
        return context

    def export_table(self, context, table):
        return evidence_table(context["export_rows"])


class EvidenceExportView(EvidenceMixin, View):
    """The register, as filtered, as CSV (the address of before ``?export=``; same file)."""

    filterset_classes = (EvidenceFilterSet,)

    def get(self, request, *args, **kwargs):
        filterset, _deleted = filtered_register(self)
        if filterset.is_bound and not filterset.is_valid():
            return filter_errors_response(filterset)
        rows = filterset.qs if filterset.is_bound else filterset.queryset.order_by("title")
        header, lines = evidence_table(rows)
        return exports.table_response(
            fmt="csv", basename=f"evidence-{self.organization.slug}", header=header, rows=lines
        )


def evidence_table(rows):
    """The register's rows as an export table: header and lines."""
    has_links = selectors.linkable_model("processes") is not None
    header = [
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Owner"),
        _("Confidentiality"),
        _("Effective date"),
        _("Review by"),
        _("Clauses"),
    ]
    if has_links:
        header += [_("Processes"), _("Services")]
    header += [_("Version"), _("File name"), _("SHA-256"), _("Approved by"), _("Approved")]

    def lines():
        for e in rows:
            version = e.current_version
            line = [
                e.title,
                e.get_kind_display(),
                e.get_status_display(),
                e.owner.email if e.owner else "",
                e.get_confidentiality_display(),
                e.effective_date,
                e.review_by,
                " ".join(c.number for c in e.clauses.all()),
            ]
            if has_links:
                line += [
                    "; ".join(str(p) for p in e.processes.all()),
                    "; ".join(str(s) for s in e.services.all()),
                ]
            line += [
                version.number if version else "",
                version.original_name if version else "",
                version.sha256 if version else "",
                e.approved_by.email if e.approved_by else "",
                e.approved_at,
            ]
            yield line

    return header, lines()


def filter_errors_response(filterset):
    """400 naming each refused filter, for a download that has no page to show them on."""
    lines = [f"{field.label}: {error}" for field in filterset.form for error in field.errors]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
