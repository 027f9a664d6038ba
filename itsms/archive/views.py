"""Pages of signed exports: the organisation archive (consultants and admins), the product's
public key, and the page that verifies a pack or an archive."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from itsms.evidence.downloads import content_disposition
from itsms.models import ExportStatus, OrganizationArchive
from itsms.shared import manifests, signing
from itsms.shared.forms import Form
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

#: Archives listed on the page (the latest first).
ARCHIVES_SHOWN = 10


class ArchiveRequestForm(Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the manifest"), choices=settings.LANGUAGES
    )


class ArchiveMixin(OrganizationMixin):
    """Consultants and admins only (the role's ``CHANGE_ORGANIZATION``, the policy of
    ``OrganizationArchive``): 403 for others."""

    capability = Capability.CHANGE_ORGANIZATION
    model = OrganizationArchive

    def get_archive(self) -> OrganizationArchive:
        return self.get_object(
            self.scoped(OrganizationArchive).select_related("organization", "requested_by")
        )


class OrganizationArchiveView(ArchiveMixin, TemplateView):
    """Export everything of the organisation: rows, history, files, one signed ZIP."""

    template_name = "itsms/archive.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        archives = list(
            self.scoped(OrganizationArchive).select_related("requested_by")[:ARCHIVES_SHOWN]
        )
        context.update(
            archives=archives,
            current=archives[0] if archives else None,
            form=form or ArchiveRequestForm(initial={"language": translation.get_language()}),
            key_id=signing.key_id(),
        )
        return context

    def post(self, request, *args, **kwargs):
        from . import services

        form = ArchiveRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        archive = services.archive_request(
            organization=self.organization,
            actor=request.user,
            language=form.cleaned_data["language"],
        )
        self.created(archive)
        messages.success(request, _("The archive is being built."))
        return redirect("itsms:organization_archive", org_slug=self.organization.slug)


class ArchiveProgressView(ArchiveMixin, TemplateView):
    template_name = "itsms/_archive_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive"] = self.get_archive()
        return context


class ArchiveDownloadView(ArchiveMixin, View):
    def get(self, request, *args, **kwargs):
        archive = self.get_archive()
        if archive.status != ExportStatus.READY or not archive.file:
            raise Http404("This archive is not ready.")
        try:
            handle = default_storage.open(archive.file.name, "rb")
        except OSError as exc:
            raise Http404("The archive's file is missing.") from exc
        response = FileResponse(handle, content_type="application/zip")
        response["Content-Disposition"] = content_disposition(archive.download_name())
        if archive.size:
            response["Content-Length"] = str(archive.size)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Archive-SHA256"] = archive.sha256
        return response


class SigningKeyView(View):
    """The product's public key (PEM): what packs and archives are checked against."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
        response["Content-Disposition"] = 'inline; filename="itsms-signing-key.pem"'
        response["X-Key-Id"] = signing.key_id()
        return response


class VerifyForm(Form):
    pack = forms.FileField(
        label=gettext_lazy("Audit pack or archive (ZIP)"),
        help_text=gettext_lazy("Checked here and thrown away; nothing is stored."),
    )


class VerifyPackView(LoginRequiredMixin, TemplateView):
    """Upload a pack (or an archive): its signature, its key and every file's SHA-256."""

    template_name = "itsms/verify_pack.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", VerifyForm())
        context["key_id"] = signing.key_id()
        return context

    def post(self, request, *args, **kwargs):
        form = VerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["pack"]
        result = manifests.verify_zip(upload.file)
        context = self.get_context_data(form=VerifyForm())
        context.update(
            result=result,
            checked_name=upload.name,
            bad_files=[f for f in result.files if not f.ok],
            good_files=sum(1 for f in result.files if f.ok),
        )
        return self.render_to_response(context)
