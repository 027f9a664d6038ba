"""The internal audit programme (clause 9.2) and the certification bodies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from itsms.shared.forms import add_errors
from itsms.shared.permissions import Capability

from .. import selectors, services
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
            return self.get_object(action="change")
        return CertificationBody(organization=self.organization)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def form_valid(self, form):
        data, actor = form.cleaned_data, self.request.user
        try:
            if form.instance.pk:
                services.body_update(body=form.instance, actor=actor, **data)
            else:
                self.created(
                    services.body_create(organization=self.organization, actor=actor, **data)
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("audits:audit_list", org_slug=self.organization.slug)
