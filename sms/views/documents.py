"""The documented information of 7.5.4 as a checklist: each document linked to the approved
evidence that is it, the missing ones shown."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from itsms.shared import versioning
from itsms.shared.views import OrganizationMixin

from .. import exports, permissions, selectors, services
from ..forms import ChecklistItemForm
from ..history import history_of
from ..models import DocumentChecklistItem, DocumentState
from ..services import StaleEdit
from .base import ObjectMixin, add_errors


class ChecklistMixin(OrganizationMixin):
    model = DocumentChecklistItem

    def items(self):
        services.checklist_ensure(self.organization)
        return selectors.checklist(self.get_queryset(), self.organization.local_today())


class ChecklistView(ChecklistMixin, TemplateView):
    template_name = "sms/checklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = self.items()
        context.update(
            items=items,
            present=sum(1 for i in items if i.state == DocumentState.PRESENT),
            states=dict(DocumentState.choices),
            may_manage=permissions.may_manage(
                self.request.user, self.organization, self.membership
            ),
        )
        return context


class ChecklistCsvView(ChecklistMixin, View):
    def get(self, request, *args, **kwargs):
        states = dict(DocumentState.choices)
        columns = [
            (gettext_lazy("Clause"), lambda i: i.requirement.clause.number),
            (gettext_lazy("Document"), lambda i: i.requirement.title),
            (gettext_lazy("State"), lambda i: states[i.state]),
            (gettext_lazy("Evidence"), lambda i: "; ".join(e.title for e in i.evidence.all())),
            (gettext_lazy("Approved"), lambda i: "; ".join(e.title for e in i.counting)),
            (gettext_lazy("Note"), lambda i: i.note),
        ]
        filename = f"documents-7-5-4-{self.organization.slug}.csv"
        return exports.csv_response(columns, self.items(), filename)


class ChecklistItemEditView(ObjectMixin, ChecklistMixin, TemplateView):
    capability = permissions.MANAGE
    object_action = "change"
    template_name = "sms/checklist_item_form.html"
    select_related = ("requirement__clause",)

    def form(self, data=None):
        return ChecklistItemForm(data, instance=self.get_object(), organization=self.organization)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        form = self.form(request.POST)
        status, extra = 400, {}
        if form.is_valid():
            try:
                services.checklist_item_update(
                    item=item,
                    actor=request.user,
                    version=form.cleaned_data.get("version"),
                    evidence=form.cleaned_data["evidence"],
                    note=form.cleaned_data["note"],
                )
            except StaleEdit as exc:
                extra = versioning.stale_form(form, exc)
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Document saved."))
                return redirect("sms:checklist", org_slug=self.organization.slug)
        return self.render_to_response(self.get_context_data(form=form, **extra), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.get_object()
        context.update(item=item, history=history_of(item))
        return context
