"""The improvement register (10.2): the list and one opportunity with its evaluation, decision,
implementation and review."""

from __future__ import annotations

from .. import exports, selectors, services
from ..filters import ImprovementFilterSet
from ..forms import ImprovementForm
from ..models import Improvement
from ..selectors.settings import settings_of
from .base import RecordCreateView, RecordCsvView, RecordDetailView, RecordEditView, RecordListView


class ImprovementRowsMixin:
    model = Improvement
    filterset_class = ImprovementFilterSet

    def selector(self, queryset):
        return selectors.improvement_list(queryset)

    def columns(self):
        return exports.improvement_columns()


class ImprovementListView(ImprovementRowsMixin, RecordListView):
    template_name = "sms/improvement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.organization.local_today()
        return context


class ImprovementCsvView(ImprovementRowsMixin, RecordCsvView):
    """The old CSV address; the list page's export gives the same file."""


class ImprovementDetailView(RecordDetailView):
    model = Improvement
    template_name = "sms/improvement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["criteria"] = settings_of(self.organization).improvement_criteria
        context["overdue"] = context["record"].is_overdue(self.organization.local_today())
        return context


class ImprovementCreateView(RecordCreateView):
    model = Improvement
    form_class = ImprovementForm
    allowed_fields = services.IMPROVEMENT_FIELDS
    create_service = services.improvement_create


class ImprovementEditView(RecordEditView):
    model = Improvement
    form_class = ImprovementForm
    allowed_fields = services.IMPROVEMENT_FIELDS
    update_service = services.improvement_update
    record_keyword = "improvement"
