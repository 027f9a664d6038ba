"""The gap assessment: the clause tree of an organisation, edited inline; my work; dashboard;
the readiness report; the portfolio (every organisation of the user with its readiness)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.evidence import selectors as evidence_selectors
from itsms.models import Clause, ClauseAssessment, Evidence
from itsms.shared import history, hooks, permissions
from itsms.shared.forms import error_text, form_errors_text
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin
from itsms.standards.reference import PRIMARY
from itsms.standards.selectors import heading_clauses
from itsms.tenancy.selectors import members_of

from .. import dashboard, readiness, rows, services
from .. import selectors as gap
from ..filters import ClauseAssessmentFilterSet
from ..forms import BulkAssignForm, ClauseAssessmentForm


def headings():
    return heading_clauses()


class AssessmentView(OrganizationMixin, TemplateView):
    """All 77 clauses on one page; the 57 requirement clauses editable in place.

    Rows are rendered from plain values (``rows.py``), not one Django form per row: the page
    costs the same few queries, and about the same time, at any organisation size."""

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
        renderer = rows.RowRenderer(
            self.organization, list(members_of(self.organization)), get_token(self.request)
        )
        today = self.organization.local_today()
        for node in nodes:
            if node["is_heading"]:
                continue
            assessment = node["assessment"]
            node["editable"] = assessment is not None and assessment.pk in editable
            node["overdue"] = assessment is not None and assessment.is_overdue(today)
            node["html"] = renderer.render(node)
        can_bulk = permissions.is_manager(self.membership)
        context.update(
            nodes=nodes,
            score=score,
            can_bulk=can_bulk,
            bulk_form=(
                BulkAssignForm(
                    headings=headings(),
                    members=members_of(self.organization),
                    organization=self.organization,
                )
                if can_bulk
                else None
            ),
            labels=rows.LABELS,
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
    """GET: the clause's assessment with its history. POST: save one row.

    The tree's script posts one row at a time (``static/js/assessment.js`` queues the saves of
    a row, never two at once) and reads a JSON answer; without JavaScript the row is a plain
    form that redirects back to the clause. Each request names its clause and carries the
    version it was loaded at: a request meant for another clause is refused, and an edit made
    on an older version answers 409 without overwriting anything."""

    model = ClauseAssessment
    write_capability = Capability.ASSESS

    def get_object(self):
        return super().get_object(
            self.get_queryset().select_related("clause", "owner", "updated_by")
        )

    def get(self, request, *args, **kwargs):
        assessment = self.get_object()
        records = assessment.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:101]
        return render(
            request,
            "itsms/assessment/detail.html",
            {
                "organization": self.organization,
                "membership": self.membership,
                "assessment": assessment,
                "entries": history.history_entries(records, limit=100),
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
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not self.allows("change", assessment):
            if wants_json:
                message = _("You may not change %(number)s.") % {"number": assessment.clause.number}
                return self.answer(assessment, 403, "forbidden", message)
            return render(request, "403.html", {"organization": self.organization}, status=403)
        outcome, message, errors = self.save(request, assessment)
        status = {"saved": 200, "unchanged": 200, "conflict": 409}.get(outcome, 400)
        assessment.refresh_from_db()
        if wants_json:
            return self.answer(assessment, status, outcome, message, errors)
        if status == 200:
            messages.success(request, message)
        else:
            details = " ".join(str(e) for field_errors in errors.values() for e in field_errors)
            messages.error(request, f"{assessment.clause.number}: {message} {details}".strip())
        url = reverse("itsms:assessment", kwargs={"org_slug": self.organization.slug})
        return redirect(f"{url}#clause-{assessment.clause.number}")

    def save(self, request, assessment):
        """(outcome, message, {field: [error, …]}) of one row's save."""
        number = assessment.clause.number
        named = request.POST.get("clause")
        if named is not None and named != number:
            message = _("This change was meant for %(named)s, not %(number)s: nothing was saved.")
            return "misdirected", message % {"named": named, "number": number}, {}
        form = ClauseAssessmentForm(
            request.POST,
            instance=assessment,
            members=members_of(self.organization),
            organization=self.organization,
        )
        if not form.is_valid():
            return "invalid", _("Not saved: please correct the errors."), dict(form.errors)
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.assessment_update(
                assessment=assessment,
                actor=request.user,
                version=form.cleaned_data["version"],
                **data,
            )
        except services.StaleEdit as exc:
            return "conflict", str(exc), {}
        except ValidationError as exc:
            return "invalid", _("Not saved: please correct the errors."), exc.message_dict
        outcome = "unchanged" if saved.version == form.cleaned_data["version"] else "saved"
        return outcome, _("Saved."), {}

    def answer(self, assessment, status, outcome, message, errors=None):
        """The JSON the row's script reads: the outcome, the row's version, the roll-ups."""
        number = assessment.clause.number
        statuses = dict(self.scoped(ClauseAssessment).values_list("clause__number", "status"))
        score = readiness.compute(gap.leaf_numbers(), statuses)
        heading_pks = Clause.objects.filter(
            standard__code=PRIMARY, number__in=readiness.ancestors_of(number)
        ).values_list("number", "pk")
        return JsonResponse(
            {
                "outcome": outcome,
                "clause": number,
                "version": assessment.version,
                "message": str(message),
                "errors": {
                    name: [str(e) for e in field_errors]
                    for name, field_errors in (errors or {}).items()
                },
                "overdue": assessment.is_overdue(self.organization.local_today()),
                "rollups": {str(pk): score.heading_percent(n) for n, pk in heading_pks},
                "overall": score.overall_percent,
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
