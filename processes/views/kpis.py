"""KPIs of a process and their values. Whoever may edit the process may edit its KPIs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import services
from ..forms import KpiForm, KpiValueForm
from ..models import Kpi, KpiValue, ProcessInstance
from .common import ObjectMixin, add_errors


class KpiEditMixin(ObjectMixin, OrganizationMixin):
    """Whoever may change the process changes its KPIs and values (the policies of
    ``ProcessInstance``, ``Kpi`` and ``KpiValue``): 403 for anyone else."""

    capability = Capability.ASSESS
    object_action = "change"

    def process_of(self, obj):
        raise NotImplementedError

    def checked_object(self):
        return self.get_object()

    def to_process(self, process):
        return redirect("processes:process_detail", org_slug=self.organization.slug, pk=process.pk)


class KpiCreateView(KpiEditMixin, TemplateView):
    """Add a KPI to the process in the URL."""

    model = ProcessInstance
    template_name = "processes/kpi_form.html"
    select_related = ("clause", "owner")

    def process_of(self, obj):
        return obj

    def get(self, request, *args, **kwargs):
        process = self.checked_object()
        form = KpiForm(process=process)
        return self.render_to_response(self.get_context_data(form=form, process=process))

    def post(self, request, *args, **kwargs):
        process = self.checked_object()
        form = KpiForm(request.POST, process=process)
        if form.is_valid():
            try:
                self.created(
                    services.kpi_create(process=process, actor=request.user, **form.cleaned_data)
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("KPI added."))
                return self.to_process(process)
        context = self.get_context_data(form=form, process=process)
        return self.render_to_response(context, status=400)


class KpiEditView(KpiEditMixin, TemplateView):
    model = Kpi
    template_name = "processes/kpi_form.html"
    select_related = ("process__clause", "process__owner")

    def process_of(self, obj):
        return obj.process

    def get(self, request, *args, **kwargs):
        kpi = self.checked_object()
        form = KpiForm(instance=kpi, process=kpi.process)
        return self.render_to_response(
            self.get_context_data(form=form, process=kpi.process, kpi=kpi)
        )

    def post(self, request, *args, **kwargs):
        kpi = self.checked_object()
        form = KpiForm(request.POST, instance=kpi, process=kpi.process)
        if form.is_valid():
            try:
                services.kpi_update(kpi=kpi, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("KPI saved."))
                return self.to_process(kpi.process)
        context = self.get_context_data(form=form, process=kpi.process, kpi=kpi)
        return self.render_to_response(context, status=400)


class KpiDeleteView(KpiEditMixin, View):
    model = Kpi
    object_action = "delete"
    select_related = ("process",)

    def process_of(self, obj):
        return obj.process

    def post(self, request, *args, **kwargs):
        kpi = self.checked_object()
        services.kpi_delete(kpi=kpi, actor=request.user)
        messages.success(request, _("KPI “%(name)s” deleted.") % {"name": kpi.name})
        return self.to_process(kpi.process)


class KpiValueCreateView(KpiEditMixin, TemplateView):
    """Record a KPI's value for one period (GET: the form on its own page)."""

    model = Kpi
    template_name = "processes/kpi_value_form.html"
    select_related = ("process__clause", "process__owner")

    def process_of(self, obj):
        return obj.process

    def form(self, kpi, data=None):
        # The process page renders this form with a prefix per KPI; accept both.
        prefix = f"kpi{kpi.pk}" if data is not None and f"kpi{kpi.pk}-value" in data else None
        return KpiValueForm(data, kpi=kpi, prefix=prefix)

    def get(self, request, *args, **kwargs):
        kpi = self.checked_object()
        context = self.get_context_data(form=self.form(kpi), kpi=kpi, process=kpi.process)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        kpi = self.checked_object()
        form = self.form(kpi, request.POST)
        if form.is_valid():
            try:
                self.created(
                    services.kpi_value_record(kpi=kpi, actor=request.user, **form.cleaned_data)
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Value recorded."))
                return self.to_process(kpi.process)
        context = self.get_context_data(form=form, kpi=kpi, process=kpi.process)
        return self.render_to_response(context, status=400)


class KpiValueDeleteView(KpiEditMixin, View):
    model = KpiValue
    object_action = "delete"
    select_related = ("kpi__process",)

    def process_of(self, obj):
        return obj.kpi.process

    def post(self, request, *args, **kwargs):
        value = self.checked_object()
        process = value.kpi.process
        services.kpi_value_delete(value=value, actor=request.user)
        messages.success(request, _("Value deleted."))
        return self.to_process(process)
