"""Planning an audit and the pages that show it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from itsms.shared import versioning
from itsms.shared.exports import ExportMixin
from itsms.shared.forms import error_text
from itsms.shared.permissions import Capability

from .. import permissions as audit_permissions
from .. import selectors, services
from ..filters import AuditFilterSet, CorrectiveActionFilterSet
from ..forms import (
    AssignForm,
    AuditForm,
    ClosingMeetingForm,
    FindingForm,
    NoteForm,
    OpeningMeetingForm,
    PlanNextForm,
    SessionForm,
)
from ..grading import criteria_for
from ..models import Audit, CertificationBody
from ..models.audit import STAGES_HELP
from .base import AuditMixin

#: The query parameter of "show all" links (findings on the audit page, actions on the list).
SHOW_ALL = "all"

_errors = error_text  # the one error-to-text helper


def show_all(request, name: str) -> bool:
    return request.GET.get(name) == SHOW_ALL or request.POST.get(name) == SHOW_ALL


class AuditListView(ExportMixin, AuditMixin, TemplateView):
    """The audit programme: every audit, and the corrective actions still open (the first
    ``ACTIONS_SHOWN``, or all with ``?actions=all``)."""

    template_name = "audits/audit_list.html"
    filterset_classes = (AuditFilterSet, CorrectiveActionFilterSet)
    export_name = "audits"
    export_tables = ("main", "actions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.organization.local_today()
        base = self.audits().select_related("certification_body").order_by("-planned_start")
        audit_filter = AuditFilterSet(self.request.GET, queryset=base, request=self.request)
        audits = list(audit_filter.qs) if audit_filter.is_valid() else []
        is_member = getattr(self.membership, "pk", None) is not None
        action_filter = CorrectiveActionFilterSet(
            self.request.GET,
            queryset=selectors.open_actions_for(self.organization),
            request=self.request,
            organization=self.organization,
        )
        actions, actions_total, actions_qs = [], 0, None
        all_actions = show_all(self.request, "actions")
        if is_member and action_filter.is_valid():
            qs = actions_qs = action_filter.qs
            actions_total = qs.count()
            actions = list(qs if all_actions else qs[: selectors.ACTIONS_SHOWN])
            for action in actions:
                action.overdue = action.is_overdue(today)
        audit_params, action_params = _params(audit_filter), _params(action_filter)
        context.update(
            audits=audits,
            audit_filter=audit_filter,
            audit_filtered=bool(audit_params),
            # Each form carries the other's values, so filtering one table keeps the other's.
            audit_params=audit_params,
            audit_query=urlencode(audit_params),
            actions=actions,
            actions_total=actions_total,
            actions_capped=len(actions) < actions_total,
            all_actions_query=urlencode([*audit_params, *action_params, ("actions", SHOW_ALL)]),
            action_filter=action_filter,
            actions_filtered=bool(action_params),
            action_params=action_params,
            action_query=urlencode(action_params),
            # The audits the actions can be filtered by: every audit the user sees.
            audit_choices=self.audits().order_by("-planned_start").values("pk", "title"),
            show_actions=is_member and bool(actions or action_params),
            may_manage=audit_permissions.may_manage(self.membership),
            bodies=self.scoped(CertificationBody),
            actions_qs=actions_qs,
        )
        return context

    def export_table(self, context, table):
        if table == "actions":
            header = [
                _("Finding"),
                _("Clause"),
                _("Audit"),
                _("Grade"),
                _("State"),
                _("Response due"),
            ]
            actions = context["actions_qs"] if context["actions_qs"] is not None else []
            rows = (
                [
                    ca.finding.reference,
                    ca.finding.clause.number if ca.finding.clause_id else "",
                    ca.finding.audit.title,
                    ca.finding.get_grade_display(),
                    ca.get_state_display(),
                    ca.finding.response_deadline,
                ]
                for ca in actions
            )
            return header, rows
        header = [
            _("Ref."),
            _("Audit"),
            _("Kind"),
            _("Start"),
            _("End"),
            _("Status"),
            _("Certification body"),
        ]
        rows = (
            [
                a.reference,
                a.title,
                a.get_kind_display(),
                a.planned_start,
                a.planned_end,
                a.get_status_display(),
                str(a.certification_body) if a.certification_body_id else "",
            ]
            for a in context["audits"]
        )
        return header, rows


def _params(filterset) -> list[tuple[str, str]]:
    """The request's non-empty values for this filterset's fields."""
    return [
        (name, filterset.data[name])
        for name in filterset.filters
        if filterset.data.get(name) not in (None, "")
    ]


class AuditCreateView(AuditMixin, FormView):
    capability = Capability.CHANGE_ORGANIZATION
    template_name = "audits/audit_form.html"

    def get_form(self, form_class=None):
        return AuditForm(**self.get_form_kwargs(), organization=self.organization)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            audit = self.created(
                services.audit_create(
                    organization=self.organization, actor=self.request.user, **data
                )
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Audit planned."))
        return redirect("audits:audit_detail", org_slug=self.organization.slug, pk=audit.pk)


class AuditEditView(AuditMixin, FormView):
    capability = Capability.CHANGE_ORGANIZATION
    template_name = "audits/audit_form.html"
    model = Audit
    object_action = "change"

    def get_form(self, form_class=None):
        return AuditForm(
            **self.get_form_kwargs(), instance=self.get_audit(), organization=self.organization
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.audit_update(
                audit=self.get_audit(), actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            extra = versioning.stale_form(form, exc)
            return self.render_to_response(self.get_context_data(form=form, **extra), status=409)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(
            "audits:audit_detail", org_slug=self.organization.slug, pk=self.get_audit().pk
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def findings_context(view, audit, *, all_findings: bool, finding_form=None) -> dict:
    """What the findings panel shows (the page and the htmx swap after recording)."""
    findings, total = selectors.findings_shown(audit, show_all=all_findings)
    today = view.organization.local_today()
    for finding in findings:
        action = getattr(finding, "corrective_action", None)
        finding.overdue = bool(action and action.is_overdue(today))
    return {
        "findings": findings,
        "findings_total": total,
        "findings_capped": len(findings) < total,
        "all_findings": all_findings,
        "finding_form": finding_form or FindingForm(organization=view.organization, audit=audit),
        "criteria": criteria_for(audit),
    }


class AuditDetailView(AuditMixin, TemplateView):
    """The audit as the auditor works it: plan, notes, findings, meetings, its conclusion.

    Lists the latest ``FINDINGS_SHOWN`` findings; ``?findings=all`` lists every one."""

    template_name = "audits/audit_detail.html"
    model = Audit

    def get_context_data(self, finding_form=None, note_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = self.get_audit()
        today = self.organization.local_today()
        outcome = selectors.outcome_for(audit)
        context.update(self.audit_context(audit))
        context.update(
            findings_context(
                self,
                audit,
                all_findings=show_all(self.request, "findings"),
                finding_form=finding_form,
            )
        )
        context.update(
            sessions=list(audit.sessions.select_related("clause", "process__clause")),
            notes=list(audit.notes.select_related("clause", "recorded_by")),
            team=selectors.active_assignments(audit),
            outcome=outcome,
            areas_of_concern=selectors.areas_of_concern(audit, outcome),
            note_form=note_form or NoteForm(),
            opening_form=OpeningMeetingForm(initial={"held_on": today}, auto_id="opening_%s"),
            stages_help=STAGES_HELP,
            closing_form=ClosingMeetingForm(initial={"held_on": today}),
            assign_form=AssignForm(organization=self.organization),
            plan_next_form=PlanNextForm(),
            scope_clauses=list(audit.scope_clauses.order_by("order")),
            scope_processes=list(audit.scope_processes.select_related("clause")),
            scope_services=list(audit.scope_services.all()),
        )
        return context


class AuditPlanView(AuditMixin, TemplateView):
    """The audit plan, printable."""

    template_name = "audits/audit_plan.html"
    model = Audit

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = self.get_audit()
        context.update(self.audit_context(audit))
        context["sessions"] = list(audit.sessions.select_related("clause", "process__clause"))
        context["team"] = selectors.active_assignments(audit)
        context["session_form"] = kwargs.get("session_form") or SessionForm(
            organization=self.organization
        )
        return context
