"""API of the SMS records. Every endpoint is an ``OrganizationScopedViewSet`` (lists need
``?organization=``; another organisation's row answers 404); the object rules (the owner
edits their own; managers everything) come from ``sms.permissions``. Writes go through the
services; a change names the ``version`` it loaded (a stale one answers 409). Records are
not deleted: they are closed (their status)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.shared import permissions as core_permissions
from itsms.shared import versioning
from itsms.shared.api import OrganizationScopedViewSet, is_slug, scoped_list_schema

from .. import permissions, selectors, services
from ..filters import (
    AgreementFilterSet,
    ImprovementFilterSet,
    ObjectiveFilterSet,
    RiskFilterSet,
    SupplierFilterSet,
    TreatmentActionFilterSet,
)
from ..models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    SmsSettings,
    Supplier,
    TreatmentAction,
)
from . import serializers as s

READ = permissions.VIEW
WRITE = permissions.EDIT_OWN


def _forbidden():
    return exceptions.PermissionDenied(_("Your role in this organisation does not allow this."))


def _require_version(data):
    if data.get("version") is None:
        raise exceptions.ValidationError({"version": [versioning.VERSION_REQUIRED]})
    return data["version"]


class RecordViewSetMixin:
    """List, read, create and change the rows of a register (no delete: close them)."""

    read_capability = READ
    write_capability = WRITE
    create_service = None
    update_service = None
    record_keyword = ""

    def create(self, request, *args, **kwargs):
        # Permission before validation: a viewer learns nothing from the payload's errors.
        slug = request.data.get("organization")
        organization = (
            core_permissions.organizations_for(request.user).filter(slug=slug).first()
            if is_slug(slug)
            else None
        )
        if organization is not None and not permissions.may_manage(request.user, organization):
            raise _forbidden()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        if not permissions.may_manage(self.request.user, organization):
            raise _forbidden()
        fields, links = serializer.split(serializer.validated_data)
        serializer.instance = type(self).create_service(
            organization=organization, actor=self.request.user, links=links, **fields
        )

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        if not permissions.may_edit(request.user, record):
            raise exceptions.PermissionDenied(
                _("Only the owner, a consultant or an admin may change this record.")
            )
        serializer = self.get_serializer(
            record, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        version = _require_version(serializer.validated_data)
        fields, links = serializer.split(serializer.validated_data)
        if (
            "owner" in fields
            and fields["owner"] != record.owner
            and not permissions.may_reassign(request.user, record)
        ):
            raise exceptions.PermissionDenied(
                _("Only a consultant or an admin may give the record to someone else.")
            )
        updated = type(self).update_service(
            **{self.record_keyword: record},
            actor=request.user,
            version=version,
            links=links,
            **fields,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)


class RecordViewSetBase(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """The DRF actions a register has (the mixin above supplies the writes)."""


@scoped_list_schema
class RiskViewSet(RecordViewSetMixin, RecordViewSetBase, OrganizationScopedViewSet):
    """Risks and opportunities (6.1) scored on the organisation's scale."""

    serializer_class = s.RiskSerializer
    filterset_class = RiskFilterSet
    queryset = selectors.risk_list(Risk.objects.select_related("organization"))
    create_service = services.risk_create
    update_service = services.risk_update
    record_keyword = "risk"


@scoped_list_schema
class ObjectiveViewSet(RecordViewSetMixin, RecordViewSetBase, OrganizationScopedViewSet):
    """Service management objectives (6.2) with their plan and current value."""

    serializer_class = s.ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    queryset = selectors.objective_list(Objective.objects.select_related("organization"))
    create_service = services.objective_create
    update_service = services.objective_update
    record_keyword = "objective"


@scoped_list_schema
class ImprovementViewSet(RecordViewSetMixin, RecordViewSetBase, OrganizationScopedViewSet):
    """Opportunities for improvement (10.2): evaluated, decided, implemented, reviewed."""

    serializer_class = s.ImprovementSerializer
    filterset_class = ImprovementFilterSet
    queryset = selectors.improvement_list(Improvement.objects.select_related("organization"))
    create_service = services.improvement_create
    update_service = services.improvement_update
    record_keyword = "improvement"


@scoped_list_schema
class SupplierViewSet(RecordViewSetMixin, RecordViewSetBase, OrganizationScopedViewSet):
    """External suppliers, internal suppliers and customers acting as suppliers (8.3.4)."""

    serializer_class = s.SupplierSerializer
    filterset_class = SupplierFilterSet
    queryset = selectors.supplier_list(
        Supplier.objects.select_related("organization").prefetch_related(
            "operations__assessment__clause"
        )
    )
    create_service = services.supplier_create
    update_service = services.supplier_update
    record_keyword = "supplier"

    @extend_schema(request=s.SupplierClausesSerializer, responses={200: s.SupplierSerializer})
    @action(detail=True, methods=["post"])
    def clauses(self, request, *args, **kwargs):
        """Set the requirement clauses the supplier operates (their "operated by")."""
        supplier = self.get_object()
        if not permissions.may_manage(request.user, supplier.organization):
            raise _forbidden()
        payload = s.SupplierClausesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.supplier_set_clauses(
            supplier=supplier, actor=request.user, assessments=payload.assessments(supplier)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=supplier.pk)).data)


@scoped_list_schema
class AgreementViewSet(RecordViewSetMixin, RecordViewSetBase, OrganizationScopedViewSet):
    """SLAs, contracts, OLAs and internal agreements (8.3.3, 8.3.4)."""

    serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilterSet
    queryset = selectors.agreement_list(Agreement.objects.select_related("organization"))
    create_service = services.agreement_create
    update_service = services.agreement_update
    record_keyword = "agreement"


class ChildViewSetMixin:
    """Rows that belong to a record (an action of a risk, a review of an agreement): created
    by whoever may edit the record."""

    read_capability = READ
    write_capability = WRITE
    parent_field = ""

    def parent_of(self, data):
        parent = data.get(self.parent_field)
        if parent is None:
            return None
        return self.get_serializer().fields[self.parent_field].queryset.filter(pk=parent).first()

    def create(self, request, *args, **kwargs):
        try:
            parent = self.parent_of(request.data)
        except (TypeError, ValueError, DjangoValidationError):
            parent = None
        if parent is not None and not permissions.may_edit(request.user, parent):
            raise _forbidden()
        return super().create(request, *args, **kwargs)


@scoped_list_schema
class TreatmentActionViewSet(
    ChildViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """The actions of the risks' treatment: who does what by when."""

    serializer_class = s.TreatmentActionSerializer
    filterset_class = TreatmentActionFilterSet
    queryset = TreatmentAction.objects.select_related("organization", "risk", "owner").order_by(
        "due_date", "pk"
    )
    parent_field = "risk"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        risk = data.pop("risk")
        data.pop("version", None)
        if not permissions.may_edit(self.request.user, risk):
            raise _forbidden()
        serializer.instance = services.action_create(risk=risk, actor=self.request.user, **data)

    def update(self, request, *args, **kwargs):
        action_row = self.get_object()
        user = request.user
        if not (
            permissions.may_edit(user, action_row) or permissions.may_edit(user, action_row.risk)
        ):
            raise exceptions.PermissionDenied(
                _("Only the action's owner, the risk's owner or a manager may change it.")
            )
        serializer = self.get_serializer(
            action_row, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        data.pop("version", None)
        data.pop("risk", None)
        updated = services.action_update(action=action_row, actor=user, version=version, **data)
        return Response(self.get_serializer(updated).data)


@scoped_list_schema
class PerformanceReviewViewSet(
    ChildViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """The performance reviews held of the agreements (date, rating, notes, actions)."""

    serializer_class = s.PerformanceReviewSerializer
    queryset = PerformanceReview.objects.select_related(
        "organization", "agreement", "recorded_by"
    ).order_by("-held_on", "-pk")
    filterset_fields = ["agreement", "rating"]
    parent_field = "agreement"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        agreement = data.pop("agreement")
        if not permissions.may_edit(self.request.user, agreement):
            raise _forbidden()
        serializer.instance = services.review_record(
            agreement=agreement, actor=self.request.user, **data
        )


@scoped_list_schema
class ChecklistItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """The documented information of 7.5.4: each document with the evidence that is it and
    its state (present, not_approved, missing)."""

    serializer_class = s.DocumentChecklistItemSerializer
    queryset = DocumentChecklistItem.objects.select_related(
        "organization", "requirement__clause"
    ).order_by("requirement__order")
    read_capability = READ
    write_capability = permissions.MANAGE

    def list(self, request, *args, **kwargs):
        services.checklist_ensure(self.list_organization())
        return super().list(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self._with_state(page if page is not None else queryset)

    def _with_state(self, items):
        items = list(items)
        if not items:
            return items
        from ..selectors.documents import checklist

        today = items[0].organization.local_today()
        return checklist(self.get_queryset().filter(pk__in=[i.pk for i in items]), today)

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        [item] = self._with_state([item])
        return Response(self.get_serializer(item).data)

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = _require_version(serializer.validated_data)
        services.checklist_item_update(
            item=item,
            actor=request.user,
            version=version,
            evidence=serializer.validated_data.get("evidence"),
            note=serializer.validated_data.get("note"),
        )
        [item] = self._with_state([self.get_queryset().get(pk=item.pk)])
        return Response(self.get_serializer(item).data)


@scoped_list_schema
class SettingsViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """The organisation's risk scale (one row; the defaults until someone changes them)."""

    serializer_class = s.SettingsSerializer
    queryset = SmsSettings.objects.select_related("organization").order_by("pk")
    read_capability = READ
    write_capability = permissions.MANAGE
    filter_backends = []

    def list(self, request, *args, **kwargs):
        services.settings_ensure(self.list_organization())
        return super().list(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        current = self.get_object()
        serializer = self.get_serializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        data.pop("version", None)
        updated = services.settings_update(
            organization=current.organization, actor=request.user, version=version, **data
        )
        return Response(self.get_serializer(updated).data)
