"""API of the SMS records. Every endpoint is an ``OrganizationScopedViewSet`` (lists need
``?organization=``; another organisation's row answers 404); the object rules (the owner
edits their own; managers everything) come from ``sms.permissions``. Writes go through the
services; a change names the ``version`` it loaded (a stale one answers 409). Records are
not deleted: they are closed (their status)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from itsms.shared import versioning
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema

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


def _require_version(data):
    if data.get("version") is None:
        raise exceptions.ValidationError({"version": [versioning.VERSION_REQUIRED]})
    return data["version"]


class RecordViewSetMixin:
    """List, read, create and change the rows of a register (no delete: close them). The
    checkpoint resolves the organisation and the object rules (``sms.permissions``)."""

    read_capability = READ
    write_capability = WRITE
    create_service = None
    update_service = None
    record_keyword = ""

    def create_object(self, serializer, *, organization, data):
        fields, links = serializer.split(data)
        record = type(self).create_service(
            organization=organization, actor=self.request.user, links=links, **fields
        )
        return self.get_queryset().get(pk=record.pk)

    def update_object(self, serializer, *, instance, data):
        version = _require_version(data)
        fields, links = serializer.split(data)
        if (
            "owner" in fields
            and fields["owner"] != instance.owner
            and not permissions.may_reassign(self.request.user, instance)
        ):
            raise exceptions.PermissionDenied(
                _("Only a consultant or an admin may give the record to someone else.")
            )
        updated = type(self).update_service(
            **{self.record_keyword: instance},
            actor=self.request.user,
            version=version,
            links=links,
            **fields,
        )
        return self.get_queryset().get(pk=updated.pk)


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
    object_actions = {"clauses": "operate"}
    action_capabilities = {"clauses": permissions.MANAGE}

    @extend_schema(request=s.SupplierClausesSerializer, responses={200: s.SupplierSerializer})
    @action(detail=True, methods=["post"])
    def clauses(self, request, *args, **kwargs):
        """Set the requirement clauses the supplier operates (their "operated by")."""
        supplier = self.get_object()
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
    by whoever may edit the record (the ``add`` rule of their policy, on the parent)."""

    read_capability = READ
    write_capability = WRITE
    parent_field = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.create_organization_field = cls.parent_field


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

    def create_object(self, serializer, *, organization, data):
        risk = data.pop("risk")
        data.pop("version", None)
        return services.action_create(risk=risk, actor=self.request.user, **data)

    def update_object(self, serializer, *, instance, data):
        version = _require_version(data)
        data.pop("version", None)
        data.pop("risk", None)
        return services.action_update(
            action=instance, actor=self.request.user, version=version, **data
        )


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

    def create_object(self, serializer, *, organization, data):
        agreement = data.pop("agreement")
        return services.review_record(agreement=agreement, actor=self.request.user, **data)


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
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def update_object(self, serializer, *, instance, data):
        services.checklist_item_update(
            item=instance,
            actor=self.request.user,
            version=_require_version(data),
            evidence=data.get("evidence"),
            note=data.get("note"),
        )
        [item] = self._with_state([self.get_queryset().get(pk=instance.pk)])
        return item


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
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def update_object(self, serializer, *, instance, data):
        version = _require_version(data)
        data.pop("version", None)
        return services.settings_update(
            organization=instance.organization, actor=self.request.user, version=version, **data
        )
