"""The certification project: six steps with their checklists, owners and due dates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from audits.forms import CertificationBodyForm
from audits.models import CertificationBody
from itsms.shared.forms import error_text, form_errors_text
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import selectors, services
from ..forms import ItemForm, ProjectForm, StepForm
from ..models import CertificationProject, ChecklistItem, ProjectStep


class ProjectView(OrganizationMixin, TemplateView):
    template_name = "certification/project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.scoped(CertificationProject).select_related("certification_body").first()
        context["project"] = project
        context["may_manage"] = self.can(Capability.MANAGE_CERTIFICATION)
        if context["may_manage"]:
            context["bodies_to_copy"] = selectors.bodies_to_copy(
                self.request.user, self.organization
            )
        if project is None:
            return context
        steps = list(
            self.scoped(ProjectStep)
            .filter(project=project)
            .select_related("owner")
            .annotate(
                total=Count("items"), done=Count("items", filter=Q(items__done_at__isnull=False))
            )
            .order_by("number")
        )
        items = list(
            self.scoped(ChecklistItem)
            .filter(step__project=project)
            .select_related("owner")
            .order_by("order", "pk")
        )
        by_step = {}
        for item in items:
            by_step.setdefault(item.step_id, []).append(item)
        today = self.organization.local_today()
        current = None
        for step in steps:
            step.checklist = by_step.get(step.pk, [])
            step.percent = round(100 * step.done / step.total) if step.total else 0
            step.overdue = bool(step.due_date and step.due_date < today and step.done < step.total)
            # Six steps on one page: each form's fields carry ids of their own.
            step.form = StepForm(
                organization=self.organization,
                initial={"owner": step.owner_id, "due_date": step.due_date, "notes": step.notes},
                auto_id=f"step{step.pk}-%s",
            )
            step.item_form = ItemForm(auto_id=f"step{step.pk}-item-%s")
            if current is None and step.done < step.total:
                current = step
        total = sum(s.total for s in steps)
        context.update(
            steps=steps,
            current=current,
            overall=round(100 * sum(s.done for s in steps) / total) if total else 0,
            project_form=ProjectForm(instance=project, organization=self.organization),
        )
        return context


class ProjectStartView(OrganizationMixin, View):
    capability = Capability.MANAGE_CERTIFICATION

    def post(self, request, *args, **kwargs):
        services.project_ensure(organization=self.organization, actor=request.user)
        return redirect("certification:project", org_slug=self.organization.slug)


class ProjectEditView(OrganizationMixin, View):
    capability = Capability.MANAGE_CERTIFICATION

    model = CertificationProject

    def post(self, request, *args, **kwargs):
        project = self.scoped(CertificationProject).first()
        if project is None:
            raise Http404("No certification project.")
        self.require_allowed(project, "change")
        form = ProjectForm(request.POST, instance=project, organization=self.organization)
        if form.is_valid():
            try:
                services.project_update(project=project, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Saved."))
            except ValidationError as exc:
                messages.error(request, error_text(exc))
        else:
            messages.error(request, form_errors_text(form))
        return redirect("certification:project", org_slug=self.organization.slug)


class StepEditView(OrganizationMixin, View):
    capability = Capability.MANAGE_CERTIFICATION
    model = ProjectStep

    def post(self, request, *args, **kwargs):
        step = self.get_object()
        form = StepForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                services.step_update(step=step, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Step %(n)s saved.") % {"n": step.number})
            except ValidationError as exc:
                messages.error(request, error_text(exc))
        else:
            messages.error(request, form_errors_text(form))
        return redirect(f"/o/{self.organization.slug}/certification/#step-{step.number}")


class ItemAddView(OrganizationMixin, View):
    capability = Capability.MANAGE_CERTIFICATION
    model = ProjectStep

    def post(self, request, *args, **kwargs):
        step = self.get_object()
        form = ItemForm(request.POST)
        if form.is_valid():
            self.created(
                services.item_add(step=step, actor=request.user, text=form.cleaned_data["text"])
            )
        else:
            messages.error(request, _("Write the item's text."))
        return redirect(f"/o/{self.organization.slug}/certification/#step-{step.number}")


class ItemToggleView(OrganizationMixin, View):
    """Tick a checklist item (managers, or the item's owner); htmx swaps the item in place."""

    model = ChecklistItem
    write_action = "tick"

    def post(self, request, *args, **kwargs):
        item = self.get_object(self.get_queryset().select_related("step"))
        item = services.item_toggle(
            item=item, actor=request.user, done=request.POST.get("done") == "1"
        )
        if request.htmx:
            return render(
                request,
                "certification/_item.html",
                {"item": item, "organization": self.organization, "may_manage": True},
            )
        return redirect(f"/o/{self.organization.slug}/certification/#step-{item.step.number}")


class BodyCreateView(OrganizationMixin, FormView):
    """A new certification body, chosen for the project (from the project page)."""

    capability = Capability.MANAGE_CERTIFICATION
    template_name = "certification/body_form.html"
    form_class = CertificationBodyForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": CertificationBody(organization=self.organization),
        }

    def form_valid(self, form):
        try:
            body = self.created(
                services.certification_body_add(
                    organization=self.organization, actor=self.request.user, **form.cleaned_data
                )
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Certification body “%(name)s” added.") % {"name": body})
        return redirect("certification:project", org_slug=self.organization.slug)


class BodyCopyView(OrganizationMixin, View):
    """Copy a body the user already works with for another of their organisations."""

    capability = Capability.MANAGE_CERTIFICATION

    def post(self, request, *args, **kwargs):
        offered = {str(b.pk): b for b in selectors.bodies_to_copy(request.user, self.organization)}
        source = offered.get(request.POST.get("source", ""))
        if source is None:
            messages.error(request, _("Choose a certification body of one of your organisations."))
        else:
            try:
                body = self.created(
                    services.certification_body_copy(
                        organization=self.organization, actor=request.user, source=source
                    )
                )
                messages.success(
                    request, _("Certification body “%(name)s” copied.") % {"name": body}
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
        return redirect("certification:project", org_slug=self.organization.slug)
