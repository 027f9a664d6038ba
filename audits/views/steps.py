"""What the audit team and the managers do on an audit: notes, plan sessions, the team, the
opening and closing meetings, closing the audit, planning the next one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from itsms.shared.forms import add_errors, form_errors_text
from itsms.shared.permissions import Capability

from .. import services
from ..forms import (
    AssignForm,
    ClosingMeetingForm,
    NoteForm,
    OpeningMeetingForm,
    PlanNextForm,
    SessionForm,
)
from ..models import Audit, AuditAssignment
from .audit import AuditPlanView, _errors
from .base import AuditMixin


class _AuditAction(AuditMixin, View):
    """POST-only actions on an audit; each says who may do it."""

    model = Audit
    capability = Capability.VIEW

    def done(self, audit, message=None, error=None, to="audits:audit_detail"):
        if message:
            messages.success(self.request, message)
        if error:
            messages.error(self.request, error)
        return redirect(to, org_slug=self.organization.slug, pk=audit.pk)


class NoteCreateView(_AuditAction):
    write_action = "record"

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = NoteForm(request.POST)
        if not form.is_valid():
            return self.done(audit, error=_("The note needs a subject and text."))
        try:
            services.note_add(audit=audit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(audit, _("Note recorded."))


class SessionCreateView(_AuditAction):
    """Add a session from the plan page and return to the plan; a refused session comes back
    on the plan page with what was typed and the errors beside the fields."""

    write_action = "lead"

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = SessionForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                self.created(
                    services.session_add(audit=audit, actor=request.user, **form.cleaned_data)
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return self.done(audit, _("Session added to the plan."), to="audits:audit_plan")
        view = AuditPlanView()
        view.setup(request, *args, **kwargs)
        view.organization, view.membership, view._audit = self.organization, self.membership, audit
        view.object_action = "view"  # the plan page, shown again with the form's errors
        return render(
            request, view.template_name, view.get_context_data(session_form=form), status=400
        )


class AssignView(_AuditAction):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        from ..invitations import audit_invitation_create

        audit = self.get_audit()
        form = AssignForm(request.POST, organization=self.organization)
        if not form.is_valid():
            return self.done(audit, error=form_errors_text(form))
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
        assignment = self.get_object(self.scoped(AuditAssignment).select_related("audit", "user"))
        services.assignment_end(assignment=assignment, actor=request.user)
        messages.success(request, _("%(user)s is off the audit.") % {"user": assignment.user})
        return redirect(
            "audits:audit_detail", org_slug=self.organization.slug, pk=assignment.audit_id
        )


class OpeningMeetingView(_AuditAction):
    """The lead auditor (or a manager) records the opening meeting, like the closing one."""

    write_action = "lead"

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = OpeningMeetingForm(request.POST)
        if not form.is_valid():
            return self.done(audit, error=_("Give the date of the opening meeting."))
        try:
            audit = services.opening_meeting_record(
                audit=audit, actor=request.user, held_on=form.cleaned_data["held_on"]
            )
        except ValidationError as exc:
            return self.done(audit, error=_errors(exc))
        return self.done(audit, _("Opening meeting recorded."))


class ClosingMeetingView(_AuditAction):
    write_action = "lead"

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
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
            return self.done(audit, error=form_errors_text(form))
        new = self.created(
            services.audit_plan_next(audit=audit, actor=request.user, **form.cleaned_data)
        )
        messages.success(request, _("Next audit planned from this one."))
        return redirect(
            reverse("audits:audit_edit", kwargs={"org_slug": self.organization.slug, "pk": new.pk})
        )
