"""Certificates and their three-year cycle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from audits.models import Audit, AuditKind
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import services
from ..forms import CertificateForm
from ..models import Certificate


class CertificateListView(OrganizationMixin, TemplateView):
    template_name = "certification/certificate_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.organization.local_today()
        certificates = list(self.scoped(Certificate).select_related("certification_body"))
        for cert in certificates:
            cert.current_validity = cert.validity(today)
        context.update(
            certificates=certificates, may_manage=self.can(Capability.MANAGE_CERTIFICATION)
        )
        return context


class CertificateCreateView(OrganizationMixin, FormView):
    capability = Capability.MANAGE_CERTIFICATION
    template_name = "certification/certificate_form.html"

    def get_form(self, form_class=None):
        return CertificateForm(**self.get_form_kwargs(), organization=self.organization)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            certificate = services.certificate_record(
                organization=self.organization, actor=self.request.user, **data
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
        cert = get_object_or_404(
            self.get_queryset().select_related("certification_body", "previous"),
            pk=self.kwargs["pk"],
        )
        today = self.organization.local_today()
        surveillance = list(
            self.scoped(Audit)
            .filter(kind=AuditKind.SURVEILLANCE, planned_start__gte=cert.decision_date)
            .order_by("planned_start")
        )
        held = [a for a in surveillance if a.closing_meeting_on]
        events = [
            {"date": cert.decision_date, "label": _("Certification decision"), "state": "done"}
        ]
        for i, due in enumerate(cert.surveillance_due_dates(), start=1):
            audit = held[i - 1] if len(held) >= i else None
            planned = (
                None
                if audit
                else next(
                    (
                        a
                        for a in surveillance
                        if not a.closing_meeting_on and a.planned_start <= due
                    ),
                    None,
                )
            )
            events.append(
                {
                    "date": due,
                    "label": _("Surveillance audit %(n)s due") % {"n": i},
                    "audit": audit or planned,
                    "state": "done" if audit else ("overdue" if today > due else "coming"),
                }
            )
        recert = (
            self.scoped(Audit)
            .filter(kind=AuditKind.RECERTIFICATION, planned_start__gte=cert.decision_date)
            .order_by("planned_start")
            .first()
        )
        events.append(
            {
                "date": cert.recertification_due,
                "label": _("Recertification audit completed, certificate expires"),
                "audit": recert,
                "state": "done"
                if hasattr(cert, "successor")
                else ("overdue" if today > cert.expires_on else "coming"),
            }
        )
        for event in events:
            event["is_past"] = event["date"] < today
        context.update(certificate=cert, events=events, validity=cert.validity(today), today=today)
        return context
