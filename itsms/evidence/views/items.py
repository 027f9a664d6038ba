"""One evidence item: its page, metadata, new versions, document control, delete and restore,
verified downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.models import DocumentStatus, EvidenceVersion, Organization
from itsms.shared import versioning
from itsms.shared.forms import add_errors
from itsms.shared.permissions import Capability

from .. import downloads, selectors, services
from ..forms import DeleteForm, EvidenceMetadataForm, TransitionForm, VersionUploadForm
from .base import EvidenceMixin


class EvidenceDetailView(EvidenceMixin, TemplateView):
    """An item: metadata, links, versions with their hashes, document control, history."""

    template_name = "itsms/evidence/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = self.get_object(selectors.with_related(self.get_queryset()))
        today = self.organization.local_today()
        may_change = self.allows("change", evidence)
        may_review = evidence.status == DocumentStatus.IN_REVIEW and self.allows(
            "approve", evidence
        )
        transitions = [
            (s, DocumentStatus(s).label)
            for s in evidence.allowed_transitions()
            if (s == DocumentStatus.APPROVED and may_review)
            or (s != DocumentStatus.APPROVED and (may_change or may_review))
        ]
        context.update(
            evidence=evidence,
            versions=selectors.versions_of(evidence),
            history=selectors.history_of(evidence),
            today=today,
            counts=evidence.counts(today),
            can_upload=may_change and not evidence.is_deleted,
            can_delete=self.allows("delete", evidence),
            can_restore=self.may_restore(),
            transitions=transitions,
            version_form=VersionUploadForm(),
            transition_form=TransitionForm(),
            delete_form=DeleteForm(),
            has_links=selectors.linkable_model("processes") is not None,
        )
        return context


class EvidenceEditView(EvidenceMixin, TemplateView):
    template_name = "itsms/evidence/form.html"
    capability = Capability.UPLOAD_EVIDENCE
    object_action = "change"

    def form(self, data=None, **kwargs):
        return EvidenceMetadataForm(
            data, organization=self.organization, user=self.request.user, **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = kwargs.get("evidence") or self.get_object()
        context["evidence"] = evidence
        context.setdefault("form", self.form(initial=EvidenceMetadataForm.initial_from(evidence)))
        return context

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        form = self.form(request.POST)
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
                add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.detail_url(evidence))
        context = self.get_context_data(evidence=evidence, form=form)
        return self.render_to_response(context, status=400)


class EvidenceVersionUploadView(EvidenceMixin, TemplateView):
    """Upload a new version with a change note (never overwrites)."""

    template_name = "itsms/evidence/version_form.html"
    capability = Capability.UPLOAD_EVIDENCE
    object_action = "change"

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
                add_errors(form, exc)
            else:
                evidence.refresh_from_db()
                messages.success(
                    request,
                    _("Version %(n)s uploaded; the item is %(status)s.")
                    % {"n": version.number, "status": evidence.get_status_display()},
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
    #: the service checks the rule of the change asked for ("change", or "approve" for the
    #: named reviewer's decision)
    write_action = "view"

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
    write_action = "delete"

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
    write_action = "restore"

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
        version = self.get_object(self.get_queryset().select_related("evidence__organization"))
        return serve_verified(request, self.organization, version)
