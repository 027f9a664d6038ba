"""The pages every register has, on the organisation checkpoint (``OrganizationMixin``):
list (filters, pages, CSV of the filtered rows), detail (links, history), create and edit
(the version the editor loaded: a stale one answers 409, nothing is overwritten).

A register's views subclass these and name their model, form, filter, selector, services and
templates; rows are reached only through ``self.get_queryset()`` (the organisation's).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.shared import exports as shared_exports
from itsms.shared import versioning
from itsms.shared.views import OrganizationMixin

from .. import permissions
from ..history import history_of
from ..registers import register_of
from ..services import StaleEdit

PAGE_SIZE = 50


def add_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        key = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(key, errors)


class ObjectMixin:
    """The view's object, through the checkpoint (``OrganizationMixin.get_object``): 404
    unless the user may see it, 403 unless the view's ``object_action`` (or, on a POST, its
    ``write_action``) is allowed by the model's policy (``sms.permissions``)."""

    select_related: tuple[str, ...] = ()

    def get_object(self):
        if not hasattr(self, "_object"):
            queryset = self.get_queryset()
            if self.select_related:
                queryset = queryset.select_related(*self.select_related)
            self._object = super().get_object(queryset)
        return self._object


class RegisterMixin(OrganizationMixin):
    """What a register's pages share: its ``Register`` entry and the permission rules."""

    model = None

    @property
    def register(self):
        return register_of(self.model)

    def may_manage(self) -> bool:
        return permissions.may_manage(self.request.user, self.organization, self.membership)

    def may_edit(self, record) -> bool:
        return permissions.may_edit(self.request.user, record, self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(register=self.register, may_manage=self.may_manage())
        return context


class FilteredMixin:
    """The register's rows through its FilterSet (the same one the API list uses)."""

    filterset_class = None
    #: what the project's filter test reads (``tests/test_filters_never_500.py``)
    filterset_classes: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.filterset_class is not None:
            cls.filterset_classes = (cls.filterset_class,)

    def selector(self, queryset):
        return queryset

    def filterset(self):
        if not hasattr(self, "_filterset"):
            self._filterset = self.filterset_class(
                self.request.GET,
                queryset=self.selector(self.get_queryset()),
                request=self.request,
                organization=self.organization,
            )
        return self._filterset

    def rows(self):
        filterset = self.filterset()
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def export_rows(columns, records):
    """The register's columns (``sms.exports``) as a header and rows for the shared helper."""
    header = [str(label) for label, _value in columns]
    return header, ([value(record) for _label, value in columns] for record in records)


class RecordListView(shared_exports.ExportMixin, FilteredMixin, RegisterMixin, TemplateView):
    """One page of a register's filtered rows, with the query kept across pages; with
    ``?export=csv|xlsx`` every filtered row as a file (``itsms.shared.exports``)."""

    def columns(self):
        raise NotImplementedError

    @property
    def export_name(self):
        return self.register.key

    def export_table(self, context, table):
        return export_rows(self.columns(), self.prepare(list(self.rows())))

    def prepare(self, rows):
        """Hook for per-row values computed in Python (none by default)."""
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.rows(), PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = self.organization.local_today()
        records = list(page.object_list)
        for record in records:
            record.review_overdue = record.is_review_overdue(today)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=self.filterset(),
            page_obj=page,
            records=self.prepare(records),
            query=query.urlencode(),
            today=today,
        )
        return context


class RecordCsvView(FilteredMixin, RegisterMixin, View):
    """The register's rows with the page's filters, as CSV."""

    def columns(self):
        raise NotImplementedError

    def prepare(self, rows):
        return rows

    def get(self, request, *args, **kwargs):
        filterset = self.filterset()
        if not filterset.is_valid():  # no page to show the error on: say it as text
            errors = "\n".join(
                f"{filterset.form.fields[name].label}: {error}"
                for name, messages in filterset.errors.items()
                for error in messages
            )
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        header, rows = export_rows(self.columns(), self.prepare(list(self.rows())))
        return shared_exports.table_response(
            fmt="csv",
            basename=f"{self.register.key}-{self.organization.slug}",
            header=header,
            rows=rows,
            title=self.register.key,
        )


class RecordDetailView(ObjectMixin, RegisterMixin, TemplateView):
    """One record: its fields, links and history."""

    select_related = ("owner",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_object()
        context.update(
            record=record,
            clauses=list(record.clauses.order_by("order")),
            processes=list(record.processes.select_related("clause").order_by("clause__order")),
            services=list(record.services.order_by("name")),
            evidence=list(record.evidence.filter(deleted_at__isnull=True).order_by("title")),
            history=history_of(record),
            may_edit=self.may_edit(record),
            today=self.organization.local_today(),
        )
        return context


class RecordFormMixin(RegisterMixin):
    """Create and edit pages: the form, the service, the answer (400 on errors, 409 stale)."""

    form_class = None
    template_name = "sms/record_form.html"

    def form(self, data=None, instance=None):
        return self.form_class(
            data,
            instance=instance,
            organization=self.organization,
            may_reassign=self.may_reassign(instance),
        )

    def may_reassign(self, instance) -> bool:
        return self.may_manage()

    def save(self, form):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.organization.slug
        if "pk" in self.kwargs:
            context["cancel_url"] = reverse(
                self.register.url_name("detail"), kwargs={"org_slug": slug, "pk": self.kwargs["pk"]}
            )
        else:
            context["cancel_url"] = reverse(
                self.register.url_name("list"), kwargs={"org_slug": slug}
            )
        return context

    def handle(self, form):
        status, extra = 400, {}
        if form.is_valid():
            try:
                record = self.save(form)
            except StaleEdit as exc:
                extra = versioning.stale_form(form, exc)
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(self.request, _("%(ref)s saved.") % {"ref": record.reference})
                return redirect(
                    self.register.url_name("detail"),
                    org_slug=self.organization.slug,
                    pk=record.pk,
                )
        return self.render_to_response(self.get_context_data(form=form, **extra), status=status)


class RecordCreateView(RecordFormMixin, TemplateView):
    capability = permissions.MANAGE
    create_service = None

    def initial(self):
        return {"owner": self.request.user.pk}

    def get(self, request, *args, **kwargs):
        form = self.form(instance=self.model(organization=self.organization))
        form.initial.update(self.initial())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        instance = self.model(organization=self.organization)
        return self.handle(self.form(request.POST, instance=instance))

    def save(self, form):
        fields = form.service_fields(self.allowed_fields)
        return self.created(
            type(self).create_service(
                organization=self.organization,
                actor=self.request.user,
                links=form.links(),
                **fields,
            )
        )


class RecordEditView(ObjectMixin, RecordFormMixin, TemplateView):
    capability = permissions.EDIT_OWN
    #: the owner (a contributor) or a manager: ``sms.permissions.own_records``
    object_action = "change"
    update_service = None
    #: keyword under which the update service takes the record ("risk", "objective", …)
    record_keyword = ""

    def may_reassign(self, instance) -> bool:
        return permissions.may_reassign(self.request.user, instance or self.get_object())

    def check_object(self):
        return self.get_object()

    def get(self, request, *args, **kwargs):
        record = self.check_object()
        return self.render_to_response(self.get_context_data(form=self.form(instance=record)))

    def post(self, request, *args, **kwargs):
        record = self.check_object()
        return self.handle(self.form(request.POST, instance=record))

    def save(self, form):
        fields = form.service_fields(self.allowed_fields)
        return type(self).update_service(
            **{self.record_keyword: self.get_object()},
            actor=self.request.user,
            version=form.cleaned_data.get("version"),
            links=form.links(),
            **fields,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.get_object()
        return context
