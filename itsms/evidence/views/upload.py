"""Uploading evidence: one or many files at once, each becoming a draft item."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from itsms.shared.forms import add_errors
from itsms.shared.permissions import Capability

from .. import services
from ..forms import EvidenceUploadForm
from ..validation import UploadRefused, check_upload, max_upload_bytes
from .base import EvidenceMixin


class EvidenceUploadView(EvidenceMixin, TemplateView):
    """One or many files at once. The script posts each file on its own (one progress bar
    each) and gets JSON back; without the script the form posts them all together."""

    template_name = "itsms/evidence/upload.html"
    capability = Capability.UPLOAD_EVIDENCE

    def form(self, data=None, files=None, **kwargs):
        return EvidenceUploadForm(
            data,
            files,
            organization=self.organization,
            user=self.request.user,
            max_bytes=max_upload_bytes(),
            **kwargs,
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
                    self.created(
                        services.evidence_create(
                            organization=self.organization,
                            actor=request.user,
                            upload=upload,
                            title=title,
                            **{k: v for k, v in data.items() if v is not None},
                        )
                    )
                    for upload in files
                ]
        except ValidationError as exc:
            add_errors(form, exc)
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
