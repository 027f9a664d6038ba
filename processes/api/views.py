"""API of the processes app. Tenant endpoints go through ``OrganizationScopedViewSet``;
per-object rules (a contributor edits only their own processes) come from
``processes.permissions``."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response

from itsms.models import Clause
from itsms.shared import permissions
from itsms.shared.api import OrganizationScopedViewSet, scoped_list_schema
from itsms.shared.permissions import Capability

from .. import selectors, services
from ..filters import KpiFilterSet, KpiValueFilterSet, ProcessInstanceFilterSet, ServiceFilterSet
from ..models import Kpi, KpiValue, ProcessInstance, Service
from ..permissions import MANAGE
from .serializers import (
    CatalogueProcessSerializer,
    KpiSerializer,
    KpiValueSerializer,
    ProcessInstanceSerializer,
    ServiceSerializer,
)


class ProcessCatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """The clause-8 process catalogue (reference data, the same for every organisation)."""

    serializer_class = CatalogueProcessSerializer
    queryset = Clause.objects.none()  # get_queryset: the catalogue clauses
    lookup_field = "number"
    lookup_value_regex = r"8(?:\.[0-9]+)+"
    filter_backends = []

    def get_queryset(self):
        return selectors.catalogue_clause_queryset()


@scoped_list_schema
class ProcessInstanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    """An organisation's clause-8 processes. PATCH with the ``version`` you loaded."""

    serializer_class = ProcessInstanceSerializer
    filterset_class = ProcessInstanceFilterSet
    queryset = (
        ProcessInstance.objects.select_related("organization", "clause__standard", "owner")
        .annotate(kpi_count=Count("kpis", distinct=True))
        .order_by("clause__order")
    )
    read_capability = Capability.VIEW
    write_capability = Capability.ASSESS

    def list(self, request, *args, **kwargs):
        # Every organisation sees the full catalogue: create missing rows first.
        services.process_instances_ensure(self.list_organization())
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ProcessInstanceSerializer})
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version", None)
        reassigning = "owner" in changes and changes["owner"] != instance.owner
        if reassigning and not permissions.allows(request.user, "assign", instance):
            raise exceptions.PermissionDenied(
                _("Only a consultant or an admin may assign the process to someone else.")
            )
        # No version: 400; a stale one: 409 with the current values (itsms.shared.versioning).
        updated = services.process_instance_update(
            instance=instance, actor=request.user, version=version, **changes
        )
        updated.kpi_count = getattr(instance, "kpi_count", 0)
        return Response(self.get_serializer(updated).data)


@scoped_list_schema
class KpiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """KPIs of the processes. Whoever may edit a process may change its KPIs."""

    serializer_class = KpiSerializer
    filterset_class = KpiFilterSet
    queryset = Kpi.objects.select_related("organization", "process").order_by(
        "process__clause__order", "name"
    )
    read_capability = Capability.VIEW
    write_capability = Capability.ASSESS

    create_organization_field = "process"

    def create_object(self, serializer, *, organization, data):
        return services.kpi_create(process=data.pop("process"), actor=self.request.user, **data)

    def update_object(self, serializer, *, instance, data):
        data.pop("process", None)
        return services.kpi_update(kpi=instance, actor=self.request.user, **data)

    def destroy_object(self, *, instance):
        services.kpi_delete(kpi=instance, actor=self.request.user)


@scoped_list_schema
class KpiValueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """Measured values of the KPIs, one per period; ``value`` must be a number."""

    serializer_class = KpiValueSerializer
    filterset_class = KpiValueFilterSet
    queryset = KpiValue.objects.select_related("kpi", "recorded_by").order_by(
        "kpi_id", "period_start"
    )
    read_capability = Capability.VIEW
    write_capability = Capability.ASSESS

    create_organization_field = "kpi"

    def create_object(self, serializer, *, organization, data):
        return services.kpi_value_record(kpi=data.pop("kpi"), actor=self.request.user, **data)


@scoped_list_schema
class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """The service portfolio with SLA targets per priority. Consultants and admins change it."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet
    queryset = (
        Service.objects.select_related("organization", "owner")
        .prefetch_related("sla_targets", "processes", "clauses")
        .order_by("name")
    )
    read_capability = Capability.VIEW
    write_capability = MANAGE

    def _related(self, serializer, data):
        related = {}
        for key in ("processes", "clauses"):
            if key in data:
                related[key] = data.pop(key)
        if "sla_targets" in data:
            related["sla_targets"] = serializer.to_internal_sla(data.pop("sla_targets"))
        return related

    def create_object(self, serializer, *, organization, data):
        related = self._related(serializer, data)
        return services.service_create(
            organization=organization, actor=self.request.user, **related, **data
        )

    def update_object(self, serializer, *, instance, data):
        related = self._related(serializer, data)
        return services.service_update(service=instance, actor=self.request.user, **related, **data)

    def destroy_object(self, *, instance):
        services.service_delete(service=instance, actor=self.request.user)
