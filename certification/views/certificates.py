"""Certificates and their three-year cycle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from audits.models import Audit
from itsms.shared.exports import ExportMixin
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import cycle, services
from ..forms import CertificateForm
from ..models import Certificate


class CertificateListView(ExportMixin, OrganizationMixin, TemplateView):
    template_name = "certification/certificate_list.html"
    export_name = "certificates"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.organization.local_today()
        certificates = list(
            self.scoped(Certificate).select_related("certification_body", "successor")
        )
        for cert in certificates:
            cert.current_validity = cert.validity(today)
        context.update(
            certificates=certificates, may_manage=self.can(Capability.MANAGE_CERTIFICATION)
        )
        return context

    def export_table(self, context, table):
        header = [
            _("Number"),
            _("Edition"),
            _("Certification body"),
            _("Decision"),
            _("Expires"),
            _("Validity"),
        ]
        rows = (
            [
                c.number,
                c.get_edition_display(),
                str(c.certification_body) if c.certification_body_id else "",
                c.decision_date,
                c.expires_on,
                str(c.current_validity.label),
            ]
            for c in context["certificates"]
        )
        return header, rows


class CertificateCreateView(OrganizationMixin, FormView):
    capability = Capability.MANAGE_CERTIFICATION
    template_name = "certification/certificate_form.html"

    def get_form(self, form_class=None):
        return CertificateForm(**self.get_form_kwargs(), organization=self.organization)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            certificate = self.created(
                services.certificate_record(
                    organization=self.organization, actor=self.request.user, **data
                )
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Certificate recorded."))
        return redirect(
            "certification:certificate_detail", org_slug=self.organization.slug, pk=certificate.pk
        )


class CertificateDetailView(OrganizationMixin, TemplateView):
    """The certificate with its cycle: past and coming audits on a timeline."""

    template_name = "certification/certificate_detail.html"
    model = Certificate

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cert = self.get_object(
            self.get_queryset().select_related("certification_body", "previous", "successor")
        )
        today = self.organization.local_today()
        validity = cert.validity(today)
        the_cycle = cycle.cycle_of(cert, cycle.audits_by_org(self.scoped(Audit)), today)
        events = [
            {"date": cert.decision_date, "label": _("Certification decision"), "state": "done"}
        ]
        for slot in the_cycle.slots:
            events.append(
                {
                    "date": slot.audit.held_on if slot.state == "done" else slot.due,
                    "label": (
                        _("Surveillance audit %(n)s held")
                        if slot.state == "done"
                        else _("Surveillance audit %(n)s due")
                    )
                    % {"n": slot.number},
                    "reason": slot.reason,
                    "audit": slot.audit,
                    "state": slot.state,
                }
            )
        recertified = the_cycle.recertified
        events.append(
            {
                "date": the_cycle.recertification_due,
                "label": _("Latest date of the recertification audit"),
                "reason": _("%(days)s days before expiry, so that majors can be verified in time")
                % {"days": (cert.expires_on - the_cycle.recertification_due).days},
                "audit": the_cycle.recertification_audit,
                "state": "done"
                if recertified
                else ("overdue" if today > the_cycle.recertification_due else "coming"),
            }
        )
        events.append(
            {
                "date": cert.expires_on,
                "label": _("Certificate expires"),
                "state": "done" if recertified else "coming",
            }
        )
        events.sort(key=lambda e: e["date"])
        for event in events:
            event["is_past"] = event["date"] < today
        current = validity.state in ("valid", "suspended")
        context.update(
            certificate=cert,
            events=events,
            years=the_cycle.years,
            warnings=the_cycle.warnings if current else [],
            at_risk=current and the_cycle.at_risk_of_suspension,
            validity=validity,
            # A certificate no longer in force keeps its history, without "overdue" on it.
            current=current,
            today=today,
        )
        return context
