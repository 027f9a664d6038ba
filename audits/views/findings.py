"""Recording and editing findings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from itsms.shared import versioning
from itsms.shared.permissions import Capability

from .. import services
from ..forms import ConcernResolveForm, FindingForm
from ..grading import criteria_for
from ..models import Audit, Finding
from .audit import AuditDetailView, _errors, findings_context, show_all
from .base import AuditMixin


class FindingCreateView(AuditMixin, View):
    """Record a finding without leaving the audit page (htmx swaps the findings panel, in the
    same "latest" or "all" view the auditor had)."""

    model = Audit
    capability = Capability.VIEW
    write_action = "record"

    def post(self, request, *args, **kwargs):
        audit = self.get_audit()
        form = FindingForm(request.POST, organization=self.organization, audit=audit)
        status = 200
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                finding = self.created(
                    services.finding_record(audit=audit, actor=request.user, **data)
                )
                messages.success(request, _("%(ref)s recorded.") % {"ref": finding.reference})
                form = None
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
                status = 400
        else:
            status = 400
        all_findings = show_all(request, "findings")
        if not request.htmx:
            if status == 200:
                return redirect("audits:audit_detail", org_slug=self.organization.slug, pk=audit.pk)
            view = AuditDetailView()
            view.setup(request, *args, **kwargs)
            view.organization, view.membership = self.organization, self.membership
            view._audit = audit
            view.object_action = "view"  # the audit page, shown again with the form's errors
            return render(
                request, view.template_name, view.get_context_data(finding_form=form), status=status
            )
        return render(
            request,
            "audits/_findings_panel.html",
            {
                **self.audit_context(audit),
                "organization": self.organization,
                **findings_context(self, audit, all_findings=all_findings, finding_form=form),
            },
            status=status,
        )


class FindingEditView(AuditMixin, FormView):
    """Edit a finding; a stale version is refused with a clear message (two auditors)."""

    template_name = "audits/finding_form.html"
    model = Finding
    object_action = "change"  # the auditors of its audit (the policy of ``Finding``)

    def get_finding(self):
        if not hasattr(self, "_finding"):
            self._finding = self.get_object(self.scoped(Finding).select_related("audit", "clause"))
        return self._finding

    def get_form(self, form_class=None):
        return FindingForm(
            **self.get_form_kwargs(), instance=self.get_finding(), organization=self.organization
        )

    def get(self, request, *args, **kwargs):
        self.get_finding()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_finding()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        finding = self.get_finding()
        context.update(self.audit_context(finding.audit))
        context.update(finding=finding, criteria=criteria_for(finding.audit))
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


class ConcernResolveView(AuditMixin, FormView):
    """Record that a stage 1 area of concern is resolved: the lead auditor while assigned, the
    consultant or admin at any time (after the audit closed too)."""

    template_name = "audits/concern_resolve.html"
    model = Finding
    object_action = "resolve"  # the lead auditor while assigned, the managers (``Finding``)

    def get_finding(self):
        if not hasattr(self, "_finding"):
            # Any finding (the page of one that is no area of concern says so, and refuses).
            self._finding = self.get_object(self.scoped(Finding).select_related("audit", "clause"))
        return self._finding

    def get(self, request, *args, **kwargs):
        self.get_finding()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_finding()
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return ConcernResolveForm(**self.get_form_kwargs(), instance=self.get_finding())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        finding = self.get_finding()
        context.update(self.audit_context(finding.audit))
        context["finding"] = finding
        return context

    def form_valid(self, form):
        finding = self.get_finding()
        try:
            services.concern_resolve(
                finding=finding,
                actor=self.request.user,
                version=form.cleaned_data.get("version"),
                resolved_on=form.cleaned_data["resolved_on"],
                resolution=form.cleaned_data["resolution"],
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
