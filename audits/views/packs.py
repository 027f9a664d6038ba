"""The audit pack's pages: build it (with a progress bar), download it, check how to verify it.

Only the audit's auditors (while assigned) and the organisation's consultants and admins reach
them (the policies' ``take_pack`` on ``Audit`` and ``take`` on ``AuditPack``, named rule
``assigned_audits`` / ``of_assigned_audits``); other members get 403, an auditor of another
audit who is not a member 404 (they do not see the audit at all).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from itsms.evidence.downloads import content_disposition
from itsms.shared import signing
from itsms.shared.forms import Form
from itsms.shared.permissions import Capability

from ..models import Audit, AuditPack, PackStatus
from ..pack import contents
from ..pack import services as pack_services
from .base import AuditMixin

#: The packs listed on the page (the latest first).
PACKS_SHOWN = 10


class PackRequestForm(Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the report, plan and workbook"),
        choices=settings.LANGUAGES,
    )


class PackMixin(AuditMixin):
    """Building and downloading need ``take_pack`` on the audit (``take`` on the pack)."""

    write_capability = Capability.VIEW  # auditors build packs too; the named rule decides

    def get_pack(self) -> AuditPack:
        return self.get_object(
            self.scoped(AuditPack)
            .filter(audit__in=self.audits())
            .select_related("audit", "organization", "requested_by"),
        )


class AuditPackView(PackMixin, TemplateView):
    """The audit's packs: build a new one, follow its progress, download the latest."""

    template_name = "audits/pack.html"
    model = Audit
    object_action = "take_pack"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = self.get_audit()
        packs = list(
            self.scoped(AuditPack).filter(audit=audit).select_related("requested_by")[:PACKS_SHOWN]
        )
        sampled = contents.sampled_versions(audit)
        context.update(self.audit_context(audit))
        context.update(
            packs=packs,
            current=packs[0] if packs else None,
            sampled=sampled,
            findings_sampled=sum(1 for s in sampled if s.findings),
            actions_linked=sum(1 for s in sampled if s.actions),
            form=form or PackRequestForm(initial={"language": translation.get_language()}),
            key_id=signing.key_id(),
        )
        return context

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = PackRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        pack = pack_services.pack_request(
            audit=audit, actor=request.user, language=form.cleaned_data["language"]
        )
        self.created(pack, "take")
        messages.success(request, _("The audit pack is being built."))
        return redirect("audits:audit_pack", org_slug=self.organization.slug, pk=audit.pk)


class AuditPackProgressView(PackMixin, TemplateView):
    """The pack's state, for the page's progress bar (htmx polls it while it is built)."""

    template_name = "audits/_pack_progress.html"
    model = AuditPack
    object_action = "take"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pack"] = self.get_pack()
        return context


class AuditPackDownloadView(PackMixin, TemplateView):
    """The ZIP, streamed from storage."""

    model = AuditPack
    object_action = "take"

    def get(self, request, *args, **kwargs):
        pack = self.get_pack()
        if pack.status != PackStatus.READY or not pack.file:
            raise Http404("This pack is not ready.")
        try:
            handle = default_storage.open(pack.file.name, "rb")
        except OSError as exc:
            raise Http404("The pack's file is missing.") from exc
        response = FileResponse(handle, content_type="application/zip")
        response["Content-Disposition"] = content_disposition(pack.download_name())
        if pack.size:
            response["Content-Length"] = str(pack.size)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Pack-SHA256"] = pack.sha256
        return response
