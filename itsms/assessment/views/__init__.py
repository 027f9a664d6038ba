"""The gap assessment: the clause tree of an organisation, edited inline; my work; dashboard;
the readiness report; the portfolio (every organisation of the user with its readiness)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.evidence import selectors as evidence_selectors
from itsms.models import ClauseAssessment, Evidence
from itsms.shared import hooks, permissions
from itsms.shared.forms import add_errors, error_text, form_errors_text
from itsms.shared.history import history_rows
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin
from itsms.standards.selectors import heading_clauses
from itsms.tenancy.selectors import members_of

from .. import dashboard, readiness, services
from .. import selectors as gap
from ..filters import ClauseAssessmentFilterSet
from ..forms import BulkAssignForm, ClauseAssessmentForm


def headings():
    return heading_clauses()


class AssessmentView(OrganizationMixin, TemplateView):
    """All 77 clauses on one page; the 57 requirement clauses editable in place."""

    template_name = "itsms/assessment/tree.html"
    filterset_classes = (ClauseAssessmentFilterSet,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        started = self.scoped(ClauseAssessment).exists()
        context["started"] = started
        if not started:
            return context
        nodes, score = gap.assessment_tree(self.organization)
        filterset = ClauseAssessmentFilterSet(
            self.request.GET or None, queryset=self.scoped(ClauseAssessment)
        )
        if filterset.is_bound and filterset.is_valid() and any(self.request.GET.values()):
            visible = set(filterset.qs.values_list("pk", flat=True))
            leaves = [n for n in nodes if n["assessment"] and n["assessment"].pk in visible]
            shown = {n["clause"].number for n in leaves}
            nodes = [
                n
                for n in nodes
                if (n["assessment"] and n["assessment"].pk in visible)
                or (n["is_heading"] and any(x.startswith(n["clause"].number + ".") for x in shown))
            ]
            context["filtered"] = len(leaves)
        context["filterset"] = filterset
        editable = set(self.restricted(ClauseAssessment, "change").values_list("pk", flat=True))
        members = list(members_of(self.organization))
        today = self.organization.local_today()
        for node in nodes:
            assessment = node["assessment"]
            if assessment is None:
                continue
            node["editable"] = assessment.pk in editable
            node["overdue"] = assessment.is_overdue(today)
            if node["editable"]:
                form = ClauseAssessmentForm(
                    instance=assessment,
                    members=members_of(self.organization),
                    organization=self.organization,
                )
                form.fields["owner"].choices = [("", _("— no owner —"))] + [
                    (m.pk, m.get_full_name()) for m in members
                ]
                node["form"] = form
        context.update(
            nodes=nodes,
            score=score,
            can_bulk=permissions.is_manager(self.membership),
            bulk_form=BulkAssignForm(
                headings=headings(),
                members=members_of(self.organization),
                organization=self.organization,
            ),
            rule=readiness.RULE_TEXT,
        )
        return context


class AssessmentStartView(OrganizationMixin, View):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        services.gap_assessment_start(organization=self.organization, actor=request.user)
        messages.success(request, _("The gap assessment has started: 57 requirement clauses."))
        return redirect("itsms:assessment", org_slug=self.organization.slug)


class AssessmentRowView(OrganizationMixin, View):
    """GET: the clause's assessment with its history. POST: save one row (htmx or plain form)."""

    model = ClauseAssessment
    write_capability = Capability.ASSESS

    def get_object(self):
        return super().get_object(
            self.get_queryset().select_related("clause", "owner", "updated_by")
        )

    def get(self, request, *args, **kwargs):
        assessment = self.get_object()
        records = assessment.history.select_related("history_user").order_by("-history_date")
        entries = history_rows(records[:101], limit=100)
        return render(
            request,
            "itsms/assessment/detail.html",
            {
                "organization": self.organization,
                "membership": self.membership,
                "assessment": assessment,
                "entries": entries,
                "can_edit": self.allows("change", assessment),
                "may_read_evidence": True,
                "evidence_items": evidence_selectors.evidence_for_clause(
                    self.scoped(Evidence), assessment.clause
                ),
                "today": self.organization.local_today(),
                "can_upload_evidence": self.can(Capability.UPLOAD_EVIDENCE),
            },
        )

    def post(self, request, *args, **kwargs):
        assessment = self.get_object()
        members = members_of(self.organization)
        form = ClauseAssessmentForm(
            request.POST, instance=assessment, members=members, organization=self.organization
        )
        status = 200
        message = None
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                assessment = services.assessment_update(
                    assessment=assessment,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **data,
                )
                message = _("Saved.")
                form = None
            except services.StaleEdit as exc:
                status, message = 409, str(exc)
                assessment.refresh_from_db()
                form = None
            except ValidationError as exc:
                status = 400
                add_errors(form, exc)
        else:
            status = 400
            assessment.refresh_from_db()
        if not request.htmx:
            if status == 200:
                messages.success(request, message)
            else:
                messages.error(request, message or _("Please correct the errors."))
            url = reverse("itsms:assessment", kwargs={"org_slug": self.organization.slug})
            return redirect(f"{url}#clause-{assessment.clause.number}")
        if form is None:
            form = ClauseAssessmentForm(
                instance=assessment, members=members, organization=self.organization
            )
        nodes, score = gap.assessment_tree(self.organization)
        affected = set(readiness.ancestors_of(assessment.clause.number))
        rollups = [n for n in nodes if n["clause"].number in affected]
        same = next((n for n in nodes if n["clause"].pk == assessment.clause_id), None)
        node = {
            "clause": same["clause"] if same else assessment.clause,
            "assessment": assessment,
            "form": form,
            "editable": True,
            "overdue": assessment.is_overdue(self.organization.local_today()),
            "depth": assessment.clause.depth,
        }
        return render(
            request,
            "itsms/assessment/_row_response.html",
            {
                "node": node,
                "organization": self.organization,
                "message": message,
                "status": status,
                "rollups": rollups,
                "score": score,
            },
            status=status,
        )


class AssessmentBulkAssignView(OrganizationMixin, View):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        form = BulkAssignForm(
            request.POST,
            headings=headings(),
            members=members_of(self.organization),
            organization=self.organization,
        )
        if form.is_valid():
            try:
                count = services.assessment_bulk_assign(
                    organization=self.organization,
                    actor=request.user,
                    heading=form.cleaned_data["heading"],
                    owner=form.cleaned_data["owner"],
                    target_date=form.cleaned_data["target_date"],
                )
                messages.success(
                    request,
                    _("%(count)s clauses under %(number)s assigned.")
                    % {"count": count, "number": form.cleaned_data["heading"].number},
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
        else:
            messages.error(request, form_errors_text(form))
        return redirect("itsms:assessment", org_slug=self.organization.slug)


class MyWorkView(OrganizationMixin, TemplateView):
    """What is assigned to me in this organisation: clauses, processes, and more."""

    template_name = "itsms/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = hooks.my_work(self.request.user, self.organization)
        return context


class DashboardView(OrganizationMixin, TemplateView):
    """Readiness overall and per chapter, gaps, overdue targets, what changed this week; the
    panels of the apps above (``hooks.DASHBOARD_PANELS``). The context is the readiness
    report's (``dashboard.readiness_context``)."""

    template_name = "itsms/dashboard.html"

    def render_panel(self, panel):
        """A panel of another app, rendered with its own context only: no context processor
        runs again (the navigation and the membership are read once per request)."""
        spec = panel(self.request, self.organization)
        context = {**spec["context"], "panel": spec["context"]}
        return get_template(spec["template"]).render(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard.readiness_context(self.organization))
        context["panels"] = [self.render_panel(panel) for panel in hooks.DASHBOARD_PANELS]
        return context


class ReadinessReportView(OrganizationMixin, View):
    """The readiness (gap-analysis) report PDF; whoever sees the dashboard may download it."""

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse
        from django.utils.text import slugify

        from ..reports import readiness_report_pdf

        pdf = readiness_report_pdf(self.organization, language=request.GET.get("lang") or None)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(f"readiness-{self.organization.slug}-{self.organization.local_today()}")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response


class PortfolioView(LoginRequiredMixin, TemplateView):
    """Every organisation the user works for, most urgent first, one page at a time; ``q``
    finds one by name (the switcher's search without JavaScript lands here)."""

    template_name = "itsms/portfolio.html"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        from ..portfolio import PAGE_SIZE, portfolio_rows

        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        rows = portfolio_rows(self.request.user, query=query)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            rows=page.object_list,
            page=page,
            query=query,
            total=len(rows),
            overdue_count=sum(1 for r in rows if r.overdue or r.deadline_overdue),
        )
        return context
