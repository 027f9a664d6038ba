"""Suppliers and agreements (8.3.3, 8.3.4): the two registers, the clauses a supplier operates
(the gap assessment's "operated by"), the performance reviews of an agreement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import exports, permissions, selectors, services
from ..filters import AgreementFilterSet, SupplierFilterSet
from ..forms import AgreementForm, PerformanceReviewForm, SupplierClausesForm, SupplierForm
from ..models import Agreement, Supplier
from ..selectors.suppliers import operated_clauses, reviews_of
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

# --- suppliers ----------------------------------------------------------------------------


class SupplierRowsMixin:
    model = Supplier
    filterset_class = SupplierFilterSet

    def selector(self, queryset):
        return selectors.supplier_list(queryset)

    def columns(self):
        return exports.supplier_columns()


class SupplierListView(SupplierRowsMixin, RecordListView):
    template_name = "sms/supplier_list.html"


class SupplierCsvView(SupplierRowsMixin, RecordCsvView):
    """The old CSV address; the list page's export gives the same file."""


class SupplierDetailView(RecordDetailView):
    model = Supplier
    template_name = "sms/supplier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier = context["record"]
        operations = operated_clauses(supplier)
        form = kwargs.get("clauses_form")
        if form is None and context["may_manage"]:
            form = SupplierClausesForm(
                organization=self.organization,
                initial={"assessments": [o.assessment_id for o in operations]},
            )
        context.update(
            agreements=list(
                selectors.agreement_list(supplier.agreements.all()).order_by("kind", "title")
            ),
            operations=operations,
            clauses_form=form,
        )
        return context


class SupplierCreateView(RecordCreateView):
    model = Supplier
    form_class = SupplierForm
    allowed_fields = services.SUPPLIER_FIELDS
    create_service = services.supplier_create


class SupplierEditView(RecordEditView):
    model = Supplier
    form_class = SupplierForm
    allowed_fields = services.SUPPLIER_FIELDS
    update_service = services.supplier_update
    record_keyword = "supplier"


class SupplierClausesView(ObjectMixin, RegisterMixin, TemplateView):
    """Set the clauses a supplier operates: their "operated by" points at it."""

    model = Supplier
    capability = permissions.MANAGE
    write_action = "operate"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        supplier = self.get_object()
        form = SupplierClausesForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                services.supplier_set_clauses(
                    supplier=supplier,
                    actor=request.user,
                    assessments=form.cleaned_data["assessments"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Clauses saved."))
                return redirect(
                    "sms:supplier_detail", org_slug=self.organization.slug, pk=supplier.pk
                )
        view = SupplierDetailView(request=request, kwargs=self.kwargs, args=self.args)
        view.organization, view.membership = self.organization, self.membership
        view._object = self.get_object()
        return view.render_to_response(view.get_context_data(clauses_form=form), status=400)


# --- agreements ---------------------------------------------------------------------------


class AgreementRowsMixin:
    model = Agreement
    filterset_class = AgreementFilterSet

    def selector(self, queryset):
        return selectors.agreement_list(queryset)

    def columns(self):
        return exports.agreement_columns()


class AgreementListView(AgreementRowsMixin, RecordListView):
    template_name = "sms/agreement_list.html"


class AgreementCsvView(AgreementRowsMixin, RecordCsvView):
    """The old CSV address; the list page's export gives the same file."""


class AgreementDetailView(RecordDetailView):
    model = Agreement
    template_name = "sms/agreement_detail.html"
    select_related = ("owner", "supplier")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("review_form")
        if form is None and context["may_edit"]:
            form = PerformanceReviewForm(initial={"held_on": context["today"]})
        context.update(reviews=reviews_of(context["record"]), review_form=form)
        return context


class AgreementCreateView(RecordCreateView):
    model = Agreement
    form_class = AgreementForm
    allowed_fields = services.AGREEMENT_FIELDS
    create_service = services.agreement_create

    def initial(self):
        initial = super().initial()
        supplier = self.request.GET.get("supplier", "")
        if supplier.isdigit():
            initial["supplier"] = int(supplier)
        return initial


class AgreementEditView(RecordEditView):
    model = Agreement
    form_class = AgreementForm
    allowed_fields = services.AGREEMENT_FIELDS
    update_service = services.agreement_update
    record_keyword = "agreement"


class ReviewCreateView(ObjectMixin, RegisterMixin, TemplateView):
    """Record a performance review of an agreement (the form sits on the agreement's page)."""

    model = Agreement
    capability = permissions.EDIT_OWN
    #: the agreement's owner or a manager (``own_records``, ``reviews_of_own_agreements``)
    object_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = self.get_object()
        form = PerformanceReviewForm(request.POST)
        if form.is_valid():
            try:
                self.created(
                    services.review_record(
                        agreement=agreement, actor=request.user, **form.cleaned_data
                    )
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Review recorded."))
                return redirect(
                    "sms:agreement_detail", org_slug=self.organization.slug, pk=agreement.pk
                )
        view = AgreementDetailView(request=request, kwargs=self.kwargs, args=self.args)
        view.organization, view.membership = self.organization, self.membership
        view._object = self.get_object()
        return view.render_to_response(view.get_context_data(review_form=form), status=400)
