"""Service management objectives (6.2): the register and one objective with its plan and, when
a KPI measures it, the KPI's trend."""

from __future__ import annotations

from processes.charts import kpi_trend_svg

from .. import exports, selectors, services
from ..filters import ObjectiveFilterSet
from ..forms import ObjectiveForm
from ..models import Objective
from ..selectors.objectives import kpi_values, latest_kpi_value
from .base import RecordCreateView, RecordCsvView, RecordDetailView, RecordEditView, RecordListView


class ObjectiveRowsMixin:
    model = Objective
    filterset_class = ObjectiveFilterSet

    def selector(self, queryset):
        return selectors.objective_list(queryset)

    def prepare(self, rows):
        return selectors.with_measurement(rows)

    def columns(self):
        return exports.objective_columns()


class ObjectiveListView(ObjectiveRowsMixin, RecordListView):
    template_name = "sms/objective_list.html"


class ObjectiveCsvView(ObjectiveRowsMixin, RecordCsvView):
    """The old CSV address; the list page's export gives the same file."""


class ObjectiveDetailView(RecordDetailView):
    model = Objective
    template_name = "sms/objective_detail.html"
    select_related = ("owner", "kpi__process__clause")

    def get_queryset(self):
        return super().get_queryset().annotate(kpi_latest=latest_kpi_value())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objective = context["record"]
        [objective] = selectors.with_measurement([objective])
        values = kpi_values(objective)
        context.update(
            kpi_values=values,
            kpi_chart=kpi_trend_svg(objective.kpi, values) if values else None,
        )
        return context


class ObjectiveCreateView(RecordCreateView):
    model = Objective
    form_class = ObjectiveForm
    allowed_fields = services.OBJECTIVE_FIELDS
    create_service = services.objective_create


class ObjectiveEditView(RecordEditView):
    model = Objective
    form_class = ObjectiveForm
    allowed_fields = services.OBJECTIVE_FIELDS
    update_service = services.objective_update
    record_keyword = "objective"
