"""The internal audit programme (clause 9.2) and the certification bodies."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from itsms.shared.permissions import Capability

from .. import selectors
from ..forms import CertificationBodyForm
from ..models import CertificationBody
from .base import AuditMixin


class ProgrammeView(AuditMixin, TemplateView):
    """Which clauses and processes each internal audit covered over the last three years."""

    template_name = "audits/programme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audits, rows = selectors.programme(self.organization, self.organization.local_today())
        leaves = [r for r in rows if r["clause"].depth >= 2]
        context.update(
            audits=audits,
            rows=rows,
            uncovered=[r["clause"] for r in leaves if not r["audits"]],
        )
        return context


class CertificationBodyFormView(AuditMixin, FormView):
    capability = Capability.CHANGE_ORGANIZATION
    template_name = "audits/body_form.html"
    form_class = CertificationBodyForm
    model = CertificationBody

    def get_instance(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.scoped(CertificationBody), pk=self.kwargs["pk"])
        return CertificationBody(organization=self.organization)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def form_valid(self, form):
        body = form.save(commit=False)
        body.organization = self.organization
        body._history_user = self.request.user
        try:
            body.full_clean()
        except Exception as exc:  # noqa: BLE001
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        body.save()
        messages.success(self.request, _("Saved."))
        return redirect("audits:audit_list", org_slug=self.organization.slug)
