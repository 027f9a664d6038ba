"""The SMS records at a glance, and the organisation's settings of them (the risk scale)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from itsms.shared import versioning
from itsms.shared.views import OrganizationMixin

from .. import permissions, selectors, services
from ..forms import SettingsForm
from ..history import history_of
from ..models import Objective, Risk, SmsSettings
from ..registers import REGISTERS
from ..services import StaleEdit
from .base import add_errors


class OverviewView(OrganizationMixin, TemplateView):
    """Each register with its counts, the 7.5.4 documents, the risk treatment at a glance."""

    template_name = "sms/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.organization.local_today()
        rows = [
            (
                register,
                selectors.register_counts(self.scoped(register.model), register.model, today),
                reverse(register.url_name("list"), kwargs={"org_slug": self.organization.slug}),
            )
            for register in REGISTERS
        ]
        scale = selectors.settings_of(self.organization)
        context.update(
            registers=rows,
            documents=selectors.documents_state(self.organization, today),
            risks=selectors.risks_state(self.scoped(Risk), scale),
            objectives_set=selectors.objectives_set(self.scoped(Objective)),
            scale=scale,
            may_manage=permissions.may_manage(
                self.request.user, self.organization, self.membership
            ),
        )
        return context


class SettingsView(OrganizationMixin, TemplateView):
    """The risk scale: levels of likelihood and impact, where acceptable ends, high begins."""

    model = SmsSettings
    capability = permissions.MANAGE
    template_name = "sms/settings_form.html"

    def current(self):
        return selectors.settings_of(self.organization)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=SettingsForm(instance=self.current()))
        )

    def post(self, request, *args, **kwargs):
        current = self.current()
        form = SettingsForm(request.POST, instance=current)
        status, extra = 400, {}
        if form.is_valid():
            try:
                services.settings_update(
                    organization=self.organization,
                    actor=request.user,
                    version=form.cleaned_data.get("version"),
                    **form.service_fields(services.SETTINGS_FIELDS),
                )
            except StaleEdit as exc:
                extra = versioning.stale_form(form, exc)
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("sms:settings", org_slug=self.organization.slug)
        return self.render_to_response(self.get_context_data(form=form, **extra), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.current()
        context["history"] = history_of(current) if current.pk else []
        return context
