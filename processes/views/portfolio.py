"""The service portfolio: pipeline, catalogue and retired services; the customer catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.shared import history
from itsms.shared.exports import ExportMixin
from itsms.shared.views import OrganizationMixin

from .. import exports, selectors, services
from ..filters import ServiceFilterSet
from ..forms import ServiceForm
from ..models import Service
from ..permissions import MANAGE, may_manage_services
from .common import ObjectMixin, add_errors


class ServiceListView(ExportMixin, OrganizationMixin, TemplateView):
    """Every service of the portfolio, whatever its status, filterable; exported as filtered."""

    model = Service
    export_name = "services"
    template_name = "processes/service_list.html"
    filterset_classes = (ServiceFilterSet,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ServiceFilterSet(
            self.request.GET,
            queryset=selectors.services(self.get_queryset()),
            request=self.request,
        )
        context.update(
            filterset=filterset,
            services=list(filterset.qs) if filterset.is_valid() else [],
            may_manage=may_manage_services(self.request.user, self.organization, self.membership),
            statuses=Service.Status.choices,
        )
        return context

    def export_table(self, context, table):
        header = [
            _("Service"),
            _("Status"),
            _("Description"),
            _("Customers"),
            _("Owner"),
            _("Availability target (%)"),
            _("SLA targets"),
            _("Supporting processes"),
        ]
        rows = (
            [
                s.name,
                s.get_status_display(),
                s.description,
                s.customers,
                s.owner.email if s.owner else "",
                s.availability_target,
                " ".join(t.priority for t in s.sla_targets.all()),
                " ".join(p.clause.number for p in s.processes.all()),
            ]
            for s in context["services"]
        )
        return header, rows


class ServiceCatalogueView(OrganizationMixin, TemplateView):
    """The service catalogue: only the services offered to customers."""

    model = Service
    template_name = "processes/service_catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["services"] = selectors.service_catalogue(self.get_queryset())
        return context


class ServiceCatalogueCsvView(OrganizationMixin, View):
    """The service catalogue as CSV for Excel: UTF-8 with BOM, formula-injection safe."""

    model = Service

    def get(self, request, *args, **kwargs):
        text = exports.service_catalogue_csv(selectors.service_catalogue(self.get_queryset()))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        # The slug is [a-z0-9-] only (SLUG_VALIDATOR): a safe file name as it is.
        filename = f"service-catalogue-{self.organization.slug}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ServiceDetailView(ObjectMixin, OrganizationMixin, TemplateView):
    model = Service
    template_name = "processes/service_detail.html"
    select_related = ("owner",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_object()
        records = service.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:11]
        context.update(
            service=service,
            sla_targets=service.sla_targets.order_by("priority"),
            processes=service.processes.select_related("clause").order_by("clause__order"),
            clauses=service.clauses.order_by("order"),
            history=history.history_entries(records, limit=10),
            may_manage=may_manage_services(self.request.user, self.organization, self.membership),
        )
        return context


class ServiceFormMixin(OrganizationMixin):
    capability = MANAGE
    template_name = "processes/service_form.html"

    def save(self, form):
        raise NotImplementedError

    def handle(self, form):
        if form.is_valid():
            data = dict(form.cleaned_data)
            related = {
                "processes": data.pop("processes"),
                "clauses": data.pop("clauses"),
                "sla_targets": form.sla_targets,
            }
            fields = {k: v for k, v in data.items() if k in services.SERVICE_FIELDS}
            try:
                service = self.save(fields, related)
                if form.instance.pk is None or form.instance.pk != service.pk:
                    self.created(service)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(self.request, _("Service saved."))
                return redirect(
                    "processes:service_detail", org_slug=self.organization.slug, pk=service.pk
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ServiceCreateView(ServiceFormMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        form = ServiceForm(instance=Service(organization=self.organization), **self.form_kwargs())
        return self.render_to_response(self.get_context_data(form=form))

    def form_kwargs(self):
        return {"organization": self.organization}

    def post(self, request, *args, **kwargs):
        instance = Service(organization=self.organization)
        return self.handle(ServiceForm(request.POST, instance=instance, **self.form_kwargs()))

    def save(self, fields, related):
        return services.service_create(
            organization=self.organization, actor=self.request.user, **fields, **related
        )


class ServiceEditView(ObjectMixin, ServiceFormMixin, TemplateView):
    model = Service
    object_action = "change"

    def get(self, request, *args, **kwargs):
        form = ServiceForm(instance=self.get_object(), organization=self.organization)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        service = self.get_object()
        return self.handle(
            ServiceForm(request.POST, instance=service, organization=self.organization)
        )

    def save(self, fields, related):
        return services.service_update(
            service=self.get_object(), actor=self.request.user, **fields, **related
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["service"] = self.get_object()
        return context
