"""Answering a nonconformity (the organisation) and reviewing the answer (the auditor)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import View

from itsms.shared import history
from itsms.shared.forms import error_text as _errors
from itsms.shared.permissions import Capability

from .. import services
from ..forms import ActionAnswerForm, ReviewForm
from ..models import ActionState, CorrectiveAction
from .base import AuditMixin


class ActionView(AuditMixin, View):
    """A nonconformity's corrective action: the answer form, the review, the history."""

    model = CorrectiveAction
    capability = Capability.VIEW
    template_name = "audits/action_detail.html"

    def get_action(self):
        """The corrective action: 404 unless the user may see it (an outside auditor sees only
        those of their audits), checked for the POST's operation by ``operate``."""
        return self.get_object(
            self.scoped(CorrectiveAction).select_related(
                "finding__audit__certification_body",
                "finding__clause",
                "owner",
                "accepted_by",
                "verified_by",
            ),
            action="view",
        )

    def context(self, action, answer_form=None, review_form=None):
        audit = action.finding.audit
        may_answer = self.allows("change", action)
        return {
            "organization": self.organization,
            "membership": self.membership,
            "action": action,
            "finding": action.finding,
            "audit": audit,
            "deadline": action.finding.response_deadline,
            "overdue": action.is_overdue(self.organization.local_today()),
            # Shown to everyone who reads the answer: the auditee after submitting, the
            # auditor who accepts the plan and verifies it.
            "evidence": list(action.evidence.filter(deleted_at__isnull=True).order_by("title")),
            "may_answer": may_answer
            and action.state in (ActionState.DRAFT, ActionState.RETURNED, ActionState.ACCEPTED),
            "may_review": self.allows("review", action),
            "answer_form": answer_form
            or ActionAnswerForm(
                organization=self.organization,
                initial={
                    "version": action.version,
                    "correction": action.correction,
                    "root_cause": action.root_cause,
                    "plan": action.plan,
                    "owner": action.owner_id,
                    "target_date": action.target_date,
                    "evidence": list(action.evidence.values_list("pk", flat=True)),
                },
            ),
            "review_form": review_form or ReviewForm(initial={"version": action.version}),
            "history": history.history_entries(
                action.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )[:31],
                limit=30,
            ),
        }

    def get(self, request, *args, **kwargs):
        action = self.get_action()
        return render(request, self.template_name, self.context(action))

    def post(self, request, *args, **kwargs):
        action = self.get_action()
        operation = request.POST.get("operation", "save")
        user = request.user
        try:
            if operation in ("save", "submit"):
                self.require_allowed(action, "change")
                form = ActionAnswerForm(request.POST, organization=self.organization)
                if not form.is_valid():
                    return render(
                        request,
                        self.template_name,
                        self.context(action, answer_form=form),
                        status=400,
                    )
                data = dict(form.cleaned_data)
                version = data.pop("version")
                try:
                    with transaction.atomic():  # a refused submit saves nothing either
                        action = services.action_update(
                            action=action, actor=user, version=version, **data
                        )
                        if operation == "submit":
                            services.action_submit(action=action, actor=user)
                except ValidationError as exc:
                    form.add_error(None, _errors(exc))
                    action.refresh_from_db()
                    return render(
                        request,
                        self.template_name,
                        self.context(action, answer_form=form),
                        status=400,
                    )
                messages.success(
                    request,
                    _("Submitted to the auditor.") if operation == "submit" else _("Saved."),
                )
            elif operation == "implemented":
                self.require_allowed(action, "change")
                services.action_implemented(action=action, actor=user)
                messages.success(request, _("Marked as implemented; the auditor verifies it."))
            elif operation in ("accept", "return", "verify"):
                self.require_allowed(action, "review")
                form = ReviewForm(request.POST)
                form.is_valid()
                comment = form.cleaned_data.get("comment", "")
                version = form.cleaned_data.get("version")
                service = {
                    "accept": services.action_accept,
                    "return": services.action_return,
                    "verify": services.action_verify,
                }[operation]
                service(action=action, actor=user, comment=comment, version=version)
                messages.success(
                    request,
                    {
                        "accept": _("Plan accepted."),
                        "return": _("Plan returned with your comment."),
                        "verify": _("Verified: the nonconformity is closed."),
                    }[operation],
                )
            else:
                messages.error(request, _("Unknown action."))
        except services.StaleEdit as exc:
            messages.error(request, str(exc))
            action.refresh_from_db()
            return render(request, self.template_name, self.context(action), status=409)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            action.refresh_from_db()
            return render(request, self.template_name, self.context(action), status=400)
        return redirect("audits:action_detail", org_slug=self.organization.slug, pk=action.pk)
