"""Planning and running an audit."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from itsms.shared import versioning
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
    PlanNextForm,
    SessionForm,
)
from ..grading import GRADING_CRITERIA
from ..models import Audit, AuditAssignment, CertificationBody, Finding
from .base import AuditMixin


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


class AuditListView(AuditMixin, TemplateView):
    """The audit programme: every audit, and the corrective actions still open."""

    template_name = "audits/audit_list.html"
    filterset_classes = (AuditFilterSet, CorrectiveActionFilterSet)

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
        actions = []
        if is_member and action_filter.is_valid():
            actions = list(action_filter.qs)
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
            action_filter=action_filter,
            actions_filtered=bool(action_params),
            action_params=action_params,
            action_query=urlencode(action_params),
            # The audits the actions can be filtered by: every audit the user sees.
            audit_choices=self.audits().order_by("-planned_start").values("pk", "title"),
            show_actions=is_member and bool(actions or action_params),
            may_manage=audit_permissions.may_manage(self.membership),
            bodies=self.scoped(CertificationBody),
        )
        return context


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
            audit = services.audit_create(
                organization=self.organization, actor=self.request.user, **data
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


class AuditDetailView(AuditMixin, TemplateView):
    """The audit as the auditor works it: plan, notes, findings, closing, recommendation."""

    template_name = "audits/audit_detail.html"
    model = Audit

    def get_context_data(self, finding_form=None, note_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = self.get_audit()
        findings = selectors.findings_of(audit)
        today = self.organization.local_today()
        for finding in findings:
            action = getattr(finding, "corrective_action", None)
            finding.overdue = bool(action and action.is_overdue(today))
        context.update(self.audit_context(audit))
        context.update(
            findings=findings,
            sessions=list(audit.sessions.select_related("clause", "process__clause")),
            notes=list(audit.notes.select_related("clause", "recorded_by")),
            team=selectors.active_assignments(audit),
            recommendation=selectors.recommendation_for(audit, findings),
            finding_form=finding_form or FindingForm(organization=self.organization),
            note_form=note_form or NoteForm(),
            closing_form=ClosingMeetingForm(initial={"held_on": today}),
            assign_form=AssignForm(organization=self.organization),
            session_form=SessionForm(organization=self.organization),
            plan_next_form=PlanNextForm(),
            criteria=GRADING_CRITERIA,
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
        context["session_form"] = SessionForm(organization=self.organization)
        return context


class FindingCreateView(AuditMixin, View):
    """Record a finding without leaving the audit page (htmx swaps the findings panel)."""

    model = Audit
    capability = Capability.VIEW

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        self.require(audit_permissions.may_record(request.user, audit))
        form = FindingForm(request.POST, organization=self.organization)
        status = 200
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                finding = services.finding_record(audit=audit, actor=request.user, **data)
                messages.success(request, _("%(ref)s recorded.") % {"ref": finding.reference})
                form = None
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
                status = 400
        else:
            status = 400
        if not request.htmx:
            if status == 200:
                return redirect("audits:audit_detail", org_slug=self.organization.slug, pk=audit.pk)
            view = AuditDetailView()
            view.setup(request, *args, **kwargs)
            view.organization, view.membership = self.organization, self.membership
            return render(
                request, view.template_name, view.get_context_data(finding_form=form), status=status
            )
        findings = selectors.findings_of(audit)
        return render(
            request,
            "audits/_findings_panel.html",
            {
                **self.audit_context(audit),
                "organization": self.organization,
                "findings": findings,
                "finding_form": form or FindingForm(organization=self.organization),
                "criteria": GRADING_CRITERIA,
            },
            status=status,
        )


class FindingEditView(AuditMixin, FormView):
    """Edit a finding; a stale version is refused with a clear message (two auditors)."""

    template_name = "audits/finding_form.html"
    model = Finding

    def get_finding(self):
        return get_object_or_404(
            self.scoped(Finding).select_related("audit", "clause"), pk=self.kwargs["pk"]
        )

    def get_form(self, form_class=None):
        return FindingForm(
            **self.get_form_kwargs(), instance=self.get_finding(), organization=self.organization
        )

    def get(self, request, *args, **kwargs):
        self.require(audit_permissions.may_record(request.user, self.get_finding().audit))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        finding = self.get_finding()
        self.require(audit_permissions.may_record(request.user, finding.audit))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        finding = self.get_finding()
        context.update(self.audit_context(finding.audit))
        context.update(finding=finding, criteria=GRADING_CRITERIA)
        return context

    def form_valid(self, form):
        finding = self.get_finding()
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.finding_update(
                finding=finding, actor=self.request.user, version=version, **data
            )
        except services.StaleEdit as exc:
            extra = versioning.stale_form(form, exc)
            return self.render_to_response(self.get_context_data(form=form, **extra), status=409)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Saved."))
        return redirect("audits:audit_detail", org_slug=self.organization.slug, pk=finding.audit_id)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class _AuditAction(AuditMixin, View):
    """POST-only actions on an audit; each says who may do it."""

    model = Audit
    capability = Capability.VIEW

    def done(self, audit, message=None, error=None):
        if message:
            messages.success(self.request, message)
        if error:
            messages.error(self.request, error)
        return redirect("audits:audit_detail", org_slug=self.organization.slug, pk=audit.pk)


class NoteCreateView(_AuditAction):
    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        self.require(audit_permissions.may_record(request.user, audit))
        form = NoteForm(request.POST)
        if not form.is_valid():
            return self.done(audit, error=_("The note needs a subject and text."))
        try:
            services.note_add(audit=audit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(audit, _("Note recorded."))


class SessionCreateView(_AuditAction):
    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        self.require(audit_permissions.may_lead(request.user, self.membership, audit))
        form = SessionForm(request.POST, organization=self.organization)
        if not form.is_valid():
            errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
            return self.done(audit, error=errors)
        try:
            services.session_add(audit=audit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(audit, _("Session added to the plan."))


class AssignView(_AuditAction):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        from ..invitations import audit_invitation_create

        audit = self.get_audit()
        form = AssignForm(request.POST, organization=self.organization)
        if not form.is_valid():
            errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
            return self.done(audit, error=errors)
        try:
            if form.cleaned_data["user"]:
                services.assignment_add(
                    audit=audit,
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                )
                return self.done(audit, _("Auditor assigned."))
            audit_invitation_create(
                audit=audit,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(
            audit, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )


class AssignmentEndView(AuditMixin, View):
    capability = Capability.CHANGE_ORGANIZATION
    model = AuditAssignment

    def post(self, request, *args, **kwargs):
        assignment = get_object_or_404(
            self.scoped(AuditAssignment).select_related("audit", "user"), pk=kwargs["pk"]
        )
        services.assignment_end(assignment=assignment, actor=request.user)
        messages.success(request, _("%(user)s is off the audit.") % {"user": assignment.user})
        return redirect(
            "audits:audit_detail", org_slug=self.organization.slug, pk=assignment.audit_id
        )


class ClosingMeetingView(_AuditAction):
    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        self.require(audit_permissions.may_lead(request.user, self.membership, audit))
        form = ClosingMeetingForm(request.POST)
        if not form.is_valid():
            return self.done(audit, error=_("Give the date of the closing meeting."))
        try:
            audit = services.closing_meeting_record(
                audit=audit, actor=request.user, held_on=form.cleaned_data["held_on"]
            )
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(
            audit,
            _("Closing meeting recorded. Nonconformities are due by %(date)s.")
            % {"date": audit.response_deadline.isoformat()},
        )


class AuditCloseView(_AuditAction):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        audit = services.audit_close(audit=self.get_audit(), actor=request.user)
        return self.done(audit, _("Audit closed; the auditors' access ended with it."))


class PlanNextView(_AuditAction):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = PlanNextForm(request.POST)
        if not form.is_valid():
            errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
            return self.done(audit, error=errors)
        new = services.audit_plan_next(audit=audit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Next audit planned from this one."))
        return redirect(
            reverse("audits:audit_edit", kwargs={"org_slug": self.organization.slug, "pk": new.pk})
        )
