"""Risks and opportunities (6.1, 8.7.3.2): the register, one risk with its treatment actions,
the heat map."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from itsms.shared import versioning

from .. import exports, permissions, selectors, services
from ..filters import RiskFilterSet
from ..forms import RiskForm, TreatmentActionForm
from ..history import history_of
from ..models import Risk, RiskLevel, TreatmentAction, TreatmentState
from ..selectors.risks import heat_map, risk_actions, treatment_summary
from ..services import StaleEdit
from .base import (
    ObjectMixin,
    RecordCreateView,
    RecordCsvView,
    RecordDetailView,
    RecordEditView,
    RecordListView,
    RegisterMixin,
    add_errors,
)


class RiskRowsMixin:
    model = Risk
    filterset_class = RiskFilterSet

    def selector(self, queryset):
        return selectors.risk_list(queryset)

    def prepare(self, rows):
        scale = selectors.settings_of(self.organization)
        today = self.organization.local_today()
        for risk in rows:
            risk.inherent_level_name = scale.level_of(risk.inherent_score)
            risk.residual_level_name = scale.level_of(risk.residual_score)
            risk.state = risk.treatment_state(scale)
            risk.state_label = TreatmentState(risk.state).label
            risk.review_overdue = risk.is_review_overdue(today)
        return rows

    def columns(self):
        return exports.risk_columns(selectors.settings_of(self.organization))


class RiskListView(RiskRowsMixin, RecordListView):
    template_name = "sms/risk_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scale"] = selectors.settings_of(self.organization)
        context["levels"] = dict(RiskLevel.choices)
        return context


class RiskCsvView(RiskRowsMixin, RecordCsvView):
    """The old CSV address; the list page's export gives the same file."""


class RiskHeatMapView(RegisterMixin, TemplateView):
    """The open risks on the organisation's likelihood × impact grid, before and after
    treatment (server-rendered, no script, no inline style)."""

    model = Risk
    template_name = "sms/risk_heatmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scale = selectors.settings_of(self.organization)
        risks = self.get_queryset()
        summary = treatment_summary(risks, scale)
        context.update(
            scale=scale,
            maps=[
                heat_map(risks, scale, basis="inherent"),
                heat_map(risks, scale, basis="residual"),
            ],
            states=[(key, label, summary.get(key, 0)) for key, label in TreatmentState.choices],
        )
        return context


class RiskDetailView(RecordDetailView):
    model = Risk
    template_name = "sms/risk_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = context["record"]
        scale = selectors.settings_of(self.organization)
        actions = risk_actions(risk)
        today = context["today"]
        editable = permissions.editable_ids(
            self.request.user, self.scoped(TreatmentAction).filter(risk=risk)
        )
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.editable = action.pk in editable
        context.update(
            scale=scale,
            inherent_level=risk.inherent_level(scale),
            residual_level=risk.residual_level(scale),
            state=risk.treatment_state(scale),
            state_label=TreatmentState(risk.treatment_state(scale)).label,
            levels=dict(RiskLevel.choices),
            actions=actions,
            action_form=kwargs.get("action_form")
            or (
                TreatmentActionForm(organization=self.organization) if context["may_edit"] else None
            ),
        )
        return context


class RiskCreateView(RecordCreateView):
    model = Risk
    form_class = RiskForm
    allowed_fields = services.RISK_FIELDS
    create_service = services.risk_create


class RiskEditView(RecordEditView):
    model = Risk
    form_class = RiskForm
    allowed_fields = services.RISK_FIELDS
    update_service = services.risk_update
    record_keyword = "risk"


class ActionCreateView(ObjectMixin, RegisterMixin, TemplateView):
    """Add a treatment action to a risk (the form sits on the risk's page)."""

    model = Risk
    capability = permissions.EDIT_OWN
    #: the risk's owner or a manager (``own_records`` on the risk, ``actions_of_own_risks``)
    object_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        risk = self.get_object()
        form = TreatmentActionForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                self.created(
                    services.action_create(
                        risk=risk,
                        actor=request.user,
                        **form.service_fields(services.ACTION_FIELDS),
                    )
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Action added."))
                return redirect("sms:risk_detail", org_slug=self.organization.slug, pk=risk.pk)
        view = RiskDetailView(request=request, kwargs=self.kwargs, args=self.args)
        view.organization, view.membership = self.organization, self.membership
        view._object = self.get_object()
        return view.render_to_response(view.get_context_data(action_form=form), status=400)


class ActionEditView(ObjectMixin, RegisterMixin, TemplateView):
    """Edit one treatment action: its owner updates its status; managers edit everything."""

    model = TreatmentAction
    capability = permissions.EDIT_OWN
    #: its owner, the risk's owner or a manager (``sms.permissions.own_actions``)
    object_action = "change"
    template_name = "sms/action_form.html"
    select_related = ("risk", "owner")

    @property
    def register(self):
        from ..registers import register_of

        return register_of(Risk)

    def check_object(self):
        return self.get_object()

    def form(self, data=None):
        return TreatmentActionForm(data, instance=self.get_object(), organization=self.organization)

    def get(self, request, *args, **kwargs):
        self.check_object()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        action = self.check_object()
        form = self.form(request.POST)
        status, extra = 400, {}
        if form.is_valid():
            try:
                services.action_update(
                    action=action,
                    actor=request.user,
                    version=form.cleaned_data.get("version"),
                    **form.service_fields(services.ACTION_FIELDS),
                )
            except StaleEdit as exc:
                extra = versioning.stale_form(form, exc)
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Action saved."))
                return redirect(
                    "sms:risk_detail", org_slug=self.organization.slug, pk=action.risk_id
                )
        return self.render_to_response(self.get_context_data(form=form, **extra), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.get_object()
        context.update(action=action, risk=action.risk, history=history_of(action))
        return context
