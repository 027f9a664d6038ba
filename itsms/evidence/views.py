"""Evidence pages: the register, upload (many files, with progress), an item with its
versions, document control, soft delete and restore, CSV export, verified downloads.
"""

from __future__ import annotations

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.models import DocumentStatus, Evidence, EvidenceVersion, Organization
from itsms.shared import permissions, versioning
from itsms.shared.permissions import Capability
from itsms.shared.views import SAFE_METHODS, OrganizationMixin

from . import access, downloads, selectors, services
from .filters import EvidenceFilterSet
from .forms import (
    DeleteForm,
    EvidenceMetadataForm,
    EvidenceUploadForm,
    TransitionForm,
    VersionUploadForm,
)
from .validation import UploadRefused, check_upload, max_upload_bytes

PAGE_SIZE = 100


class EvidenceMixin(OrganizationMixin):
    """``OrganizationMixin`` for evidence: auditors read only with an audit assignment.

    A member reads by role (auditors need ``access.grant_audit_reader``; without it they get
    403). A non-member assigned as auditor reads (never writes); anyone else gets 404.
    """

    model = Evidence
    capability = Capability.VIEW
    write_capability = Capability.UPLOAD_EVIDENCE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        slug = kwargs.get("org_slug")
        organization = permissions.organizations_for(request.user).filter(slug=slug).first()
        membership = None
        if organization is not None:
            membership = permissions.membership_of(request.user, organization)
        else:
            organization = access.readable_organizations(request.user).filter(slug=slug).first()
            if organization is None:
                raise Http404("No such organisation.")
        self.organization, self.membership = organization, membership
        if request.method in SAFE_METHODS and self.capability == Capability.VIEW:
            allowed = access.may_read(request.user, organization, membership)
        elif request.method in SAFE_METHODS:
            allowed = membership is not None and permissions.role_allows(
                membership.role, self.capability
            )
        else:
            allowed = membership is not None and permissions.role_allows(
                membership.role, self.required_capability(request)
            )
        if not allowed:
            raise PermissionDenied
        if membership is not None:
            request.session["current_org"] = organization.slug
        return super(OrganizationMixin, self).dispatch(request, *args, **kwargs)

    def can(self, capability):
        return self.membership is not None and permissions.role_allows(
            self.membership.role, capability
        )

    def get_queryset(self):
        queryset = self.scoped(self.model)
        if self.model is Evidence and not access.may_restore(self.membership):
            queryset = queryset.filter(deleted_at__isnull=True)
        if self.model is EvidenceVersion and not access.may_restore(self.membership):
            queryset = queryset.filter(evidence__deleted_at__isnull=True)
        return queryset

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def detail_url(self, evidence):
        return reverse(
            "itsms:evidence_detail", kwargs={"org_slug": self.organization.slug, "pk": evidence.pk}
        )

    def list_url(self):
        return reverse("itsms:evidence_list", kwargs={"org_slug": self.organization.slug})


def filtered_register(view) -> tuple[EvidenceFilterSet, bool]:
    deleted = view.request.GET.get("deleted") == "1" and access.may_restore(view.membership)
    base = selectors.evidence_register(view.scoped(Evidence), deleted=deleted)
    filterset = EvidenceFilterSet(view.request.GET or None, queryset=base)
    return filterset, deleted


class EvidenceListView(EvidenceMixin, TemplateView):
    """The evidence register: filter, sort, export; upload from here."""

    template_name = "itsms/evidence/list.html"
    filterset_classes = (EvidenceFilterSet,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, deleted = filtered_register(self)
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        if not (filterset.is_bound and filterset.form.cleaned_data.get("sort")):
            queryset = queryset.order_by("title", "pk")
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
            can_restore=access.may_restore(self.membership),
            has_links=processes is not None,
            query=query.urlencode(),
        )
        return context


class EvidenceExportView(EvidenceMixin, View):
    """The register, as filtered, as CSV (UTF-8 with BOM so Excel reads Chinese)."""

    filterset_classes = (EvidenceFilterSet,)

    def get(self, request, *args, **kwargs):
        filterset, _deleted = filtered_register(self)
        if filterset.is_bound and not filterset.is_valid():
            return filter_errors_response(filterset)
        rows = filterset.qs if filterset.is_bound else filterset.queryset.order_by("title")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = downloads.content_disposition(
            f"evidence-{self.organization.slug}.csv"
        )
        response.write("\ufeff")
        writer = csv.writer(response)
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
        writer.writerow(header)
        for e in rows:
            version = e.current_version
            line = [
                e.title,
                e.get_kind_display(),
                e.get_status_display(),
                e.owner.email if e.owner else "",
                e.get_confidentiality_display(),
                e.effective_date.isoformat() if e.effective_date else "",
                e.review_by.isoformat() if e.review_by else "",
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
                e.approved_at.isoformat(timespec="minutes") if e.approved_at else "",
            ]
            writer.writerow([_csv_safe(v) for v in line])
        return response


def filter_errors_response(filterset):
    """400 naming each refused filter, for a download that has no page to show them on."""
    lines = [f"{field.label}: {error}" for field in filterset.form for error in field.errors]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _csv_safe(value):
    """Neutralise spreadsheet formulas in user text (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class EvidenceUploadView(EvidenceMixin, TemplateView):
    """One or many files at once. The script posts each file on its own (one progress bar
    each) and gets JSON back; without the script the form posts them all together."""

    template_name = "itsms/evidence/upload.html"
    capability = Capability.UPLOAD_EVIDENCE

    def form(self, data=None, files=None, **kwargs):
        return EvidenceUploadForm(
            data, files, organization=self.organization, max_bytes=max_upload_bytes(), **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"owner": self.request.user.pk}
        clause = self.request.GET.get("clause", "")
        if clause.isdigit():
            initial["clauses"] = [int(clause)]
        context.setdefault("form", self.form(initial=initial))
        context["max_mb"] = settings.EVIDENCE_MAX_UPLOAD_MB
        return context

    def wants_json(self):
        return "application/json" in self.request.headers.get("Accept", "")

    def refuse(self, form):
        if self.wants_json():
            errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse(form)
        files = form.cleaned_data["files"]
        refusals = []
        for upload in files:
            try:
                check_upload(upload)
            except UploadRefused as exc:
                refusals.append(exc.message)
        if refusals:  # nothing is stored when any file is refused
            form.add_error("files", refusals)
            return self.refuse(form)
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        title = data.pop("title") if len(files) == 1 else ""
        data.pop("title", None)
        try:
            with transaction.atomic():
                created = [
                    services.evidence_create(
                        organization=self.organization,
                        actor=request.user,
                        upload=upload,
                        title=title,
                        **{k: v for k, v in data.items() if v is not None},
                    )
                    for upload in files
                ]
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.refuse(form)
        if self.wants_json():
            return JsonResponse(
                {
                    "items": [
                        {"id": e.pk, "title": e.title, "url": self.detail_url(e)} for e in created
                    ],
                    "register": self.list_url(),
                },
                status=201,
            )
        messages.success(
            request,
            _("%(count)s evidence item(s) uploaded as drafts: %(titles)s.")
            % {"count": len(created), "titles": ", ".join(e.title for e in created)},
        )
        return redirect(self.detail_url(created[0]) if len(created) == 1 else self.list_url())


class EvidenceDetailView(EvidenceMixin, TemplateView):
    """An item: metadata, links, versions with their hashes, document control, history."""

    template_name = "itsms/evidence/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = get_object_or_404(
            selectors.with_related(self.get_queryset()), pk=self.kwargs["pk"]
        )
        user = self.request.user
        can_upload = self.can(Capability.UPLOAD_EVIDENCE)
        transitions = [
            (s, DocumentStatus(s).label)
            for s in evidence.allowed_transitions()
            if s != DocumentStatus.APPROVED or access.may_approve(user, self.membership, evidence)
        ]
        context.update(
            evidence=evidence,
            versions=selectors.versions_of(evidence),
            history=selectors.history_of(evidence),
            today=self.organization.local_today(),
            counts=evidence.counts(self.organization.local_today()),
            can_upload=can_upload and not evidence.is_deleted,
            can_restore=access.may_restore(self.membership),
            transitions=transitions if can_upload else [],
            version_form=VersionUploadForm(),
            transition_form=TransitionForm(),
            delete_form=DeleteForm(),
            has_links=selectors.linkable_model("processes") is not None,
        )
        return context


class EvidenceEditView(EvidenceMixin, TemplateView):
    template_name = "itsms/evidence/form.html"
    capability = Capability.UPLOAD_EVIDENCE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = kwargs.get("evidence") or self.get_object()
        context["evidence"] = evidence
        context.setdefault(
            "form",
            EvidenceMetadataForm(
                initial=EvidenceMetadataForm.initial_from(evidence), organization=self.organization
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        form = EvidenceMetadataForm(request.POST, organization=self.organization)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["title"] = data["title"].strip() or evidence.title
            try:
                services.evidence_update(evidence=evidence, actor=request.user, **data)
            except versioning.StaleVersion as exc:
                context = self.get_context_data(evidence=evidence, form=form)
                context.update(versioning.stale_form(form, exc))
                return self.render_to_response(context, status=409)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.detail_url(evidence))
        context = self.get_context_data(evidence=evidence, form=form)
        return self.render_to_response(context, status=400)


class EvidenceVersionUploadView(EvidenceMixin, TemplateView):
    """Upload a new version with a change note (never overwrites)."""

    template_name = "itsms/evidence/version_form.html"
    capability = Capability.UPLOAD_EVIDENCE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = kwargs.get("evidence") or self.get_object()
        context.setdefault("form", VersionUploadForm())
        context["max_mb"] = settings.EVIDENCE_MAX_UPLOAD_MB
        return context

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        form = VersionUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.evidence_add_version(
                    evidence=evidence,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Version %(n)s uploaded; the item is a draft again.") % {"n": version.number},
                )
                return redirect(self.detail_url(evidence))
        context = self.get_context_data(evidence=evidence, form=form)
        return self.render_to_response(context, status=400)


class EvidenceActionView(EvidenceMixin, View):
    """Base of the POST-only actions on one item."""

    def fail(self, evidence, exc):
        if isinstance(exc, ValidationError):
            messages.error(request=self.request, message=" ".join(exc.messages))
        else:
            messages.error(self.request, str(exc))
        return redirect(self.detail_url(evidence))


class EvidenceTransitionView(EvidenceActionView):
    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return self.fail(evidence, ValidationError(_("Choose a status.")))
        try:
            evidence = services.evidence_transition(
                evidence=evidence,
                actor=request.user,
                to=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return render(request, "403.html", {"organization": self.organization}, status=403)
        except ValidationError as exc:
            return self.fail(evidence, exc)
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": evidence.title, "status": evidence.get_status_display()},
        )
        return redirect(self.detail_url(evidence))


class EvidenceDeleteView(EvidenceActionView):
    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        form = DeleteForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.evidence_delete(evidence=evidence, actor=request.user, reason=reason)
        except ValidationError as exc:
            return self.fail(evidence, exc)
        messages.success(
            request,
            _("“%(title)s” deleted. Its files are kept; a consultant or admin can restore it.")
            % {"title": evidence.title},
        )
        return redirect(self.list_url())


class EvidenceRestoreView(EvidenceActionView):
    write_capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        try:
            services.evidence_restore(evidence=evidence, actor=request.user)
        except ValidationError as exc:
            return self.fail(evidence, exc)
        messages.success(request, _("“%(title)s” restored.") % {"title": evidence.title})
        return redirect(self.detail_url(evidence))


def serve_verified(request, organization: Organization, version: EvidenceVersion):
    """Stream the file if its SHA-256 still matches; otherwise report, record, refuse."""
    ok, data = services.version_verify(version)
    if not ok:
        return render(
            request,
            "itsms/evidence/integrity_error.html",
            {"organization": organization, "version": version, "evidence": version.evidence},
            status=409,
        )
    return downloads.file_response(version, data)


class EvidenceDownloadView(EvidenceMixin, View):
    """The current version of an item."""

    def get(self, request, *args, **kwargs):
        evidence = self.get_object()
        version = evidence.current_version
        if version is None:
            raise Http404("No file.")
        version.evidence = evidence
        return serve_verified(request, self.organization, version)


class EvidenceVersionDownloadView(EvidenceMixin, View):
    """Any version, by its id."""

    model = EvidenceVersion

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(
            self.get_queryset().select_related("evidence__organization"), pk=self.kwargs["pk"]
        )
        return serve_verified(request, self.organization, version)
