"""The process catalogue and each organisation's processes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from itsms.shared import history, versioning
from itsms.shared.exports import ExportMixin
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import charts, selectors, services
from ..catalogue import chapter_of, predecessors_of, sub_requirements_of
from ..filters import ProcessInstanceFilterSet
from ..forms import KpiValueForm, ProcessInstanceForm
from ..models import ProcessInstance
from ..permissions import editable_process_ids
from .common import ObjectMixin, add_errors


class CatalogueView(LoginRequiredMixin, TemplateView):
    """The reference catalogue of clause-8 processes, the same for every organisation."""

    template_name = "processes/catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = selectors.process_catalogue()
        return context


def _group_by_chapter(instances):
    """[(chapter number, chapter title, [instances])] in the order of the standard."""
    groups: list[tuple[str, str, list]] = []
    for instance in instances:
        clause = instance.clause
        chapter = chapter_of(clause.number)
        title = clause.title if clause.number == chapter else clause.parent.title
        if not groups or groups[-1][0] != chapter:
            groups.append((chapter, title, []))
        groups[-1][2].append(instance)
    return groups


class ProcessListView(ExportMixin, OrganizationMixin, TemplateView):
    """The clause-8 processes: status, maturity, owner, KPIs; exported as filtered."""

    model = ProcessInstance
    export_name = "processes"
    template_name = "processes/process_list.html"
    filterset_classes = (ProcessInstanceFilterSet,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.process_instances_ensure(self.organization)
        filterset = ProcessInstanceFilterSet(
            self.request.GET,
            queryset=selectors.process_instances(self.get_queryset()),
            request=self.request,
        )
        instances = list(filterset.qs) if filterset.is_valid() else []
        predecessors = predecessors_of(i.clause_id for i in instances)
        editable = editable_process_ids(
            self.request.user, self.organization, self.get_queryset(), self.membership
        )
        for instance in instances:
            instance.predecessors = predecessors.get(instance.clause_id, [])
            instance.editable = editable is None or instance.pk in editable
        context.update(
            filterset=filterset,
            groups=_group_by_chapter(instances),
            process_count=len(instances),
            instances=instances,
        )
        return context

    def export_table(self, context, table):
        header = [_("Clause"), _("Process"), _("Status"), _("Maturity"), _("Owner"), _("KPIs")]
        rows = (
            [
                p.clause.number,
                p.clause.title,
                p.get_status_display(),
                p.maturity,
                p.owner.email if p.owner else "",
                p.kpi_count,
            ]
            for p in context["instances"]
        )
        return header, rows


class ProcessDetailView(ObjectMixin, OrganizationMixin, TemplateView):
    """One process: purpose, owner, 2011 counterparts, sub-requirements, KPIs with trends."""

    model = ProcessInstance
    template_name = "processes/process_detail.html"
    select_related = ("clause", "clause__parent", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = self.get_object()
        editable = self.allows("change", instance)
        kpis = selectors.process_detail_kpis(instance)
        for kpi in kpis:
            kpi.chart = charts.kpi_trend_svg(kpi, kpi.recent_values)
            kpi.value_form = KpiValueForm(kpi=kpi, prefix=f"kpi{kpi.pk}") if editable else None
        records = instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:11]
        context.update(
            process=instance,
            predecessors=predecessors_of([instance.clause_id]).get(instance.clause_id, []),
            sub_requirements=sub_requirements_of([instance.clause_id]).get(instance.clause_id, []),
            kpis=kpis,
            supported_services=instance.services.order_by("name"),
            history=history.history_entries(records, limit=10),
            may_edit=editable,
            today=self.organization.local_today(),
        )
        return context


class ProcessEditView(ObjectMixin, OrganizationMixin, TemplateView):
    """Edit a process. Managers edit every process; a contributor only their own."""

    model = ProcessInstance
    capability = Capability.ASSESS
    template_name = "processes/process_form.html"
    select_related = ("clause", "owner")

    object_action = "change"

    def check_object(self):
        return self.get_object()

    def form(self, data=None):
        instance = self.get_object()
        return ProcessInstanceForm(
            data,
            instance=instance,
            organization=self.organization,
            may_assign_owner=self.allows("assign", instance),
        )

    def get(self, request, *args, **kwargs):
        self.check_object()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        instance = self.check_object()
        form = self.form(request.POST)
        status, extra = 400, {}
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k in services.PROCESS_FIELDS}
            try:
                services.process_instance_update(
                    instance=instance,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **changes,
                )
            except services.StaleEdit as exc:
                extra = versioning.stale_form(form, exc)
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Process saved."))
                return redirect(
                    "processes:process_detail", org_slug=self.organization.slug, pk=instance.pk
                )
        context = self.get_context_data(form=form, **extra)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.get_object()
        return context
