"""One row of every tenant model of the processes app, for the isolation sweep.

``BUILDERS = {Model: callable(org, marker) -> instance}``: each row lives in ``org``
and carries ``marker`` in its text, so the sweep can tell whether a page of
another organisation shows it.
"""

from decimal import Decimal

from itsms.models import Role
from processes.models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget
from processes.services import process_instances_ensure
from tests.factories import MembershipFactory, UserFactory

from .factories import (
    KpiFactory,
    KpiValueFactory,
    ServiceFactory,
    ServiceLevelTargetFactory,
    catalogue_clause,
)


def _process(org, marker, number="8.6.1"):
    process_instances_ensure(org)
    instance = ProcessInstance.objects.get(organization=org, clause=catalogue_clause(number))
    if marker not in instance.purpose:
        owner = UserFactory(
            email=f"{marker}-owner-{number}@{org.slug}.example", full_name=f"{marker} Owner"
        )
        MembershipFactory(organization=org, user=owner, role=Role.CONTRIBUTOR)
        instance.purpose = f"{marker} purpose of {number}"
        instance.procedure_reference = f"{marker}-PRC-{number}"
        instance.owner = owner
        instance.save()
    return instance


def _kpi(org, marker):
    return KpiFactory(
        process=_process(org, marker),
        name=f"{marker} first-time fix rate",
        description=f"{marker} kpi",
    )


def _kpi_value(org, marker):
    kpi = Kpi.objects.filter(organization=org, name__startswith=marker).first() or _kpi(org, marker)
    return KpiValueFactory(kpi=kpi, value=Decimal("88.5"), note=f"{marker} value note")


def _service(org, marker):
    service = ServiceFactory(
        organization=org,
        name=f"{marker} payments service",
        description=f"{marker} service description",
        customers=f"{marker} customers",
        status=Service.Status.CATALOGUE,
    )
    service.processes.add(_process(org, marker))
    return service


def _sla_target(org, marker):
    service = Service.objects.filter(organization=org, name__startswith=marker).first()
    return ServiceLevelTargetFactory(service=service or _service(org, marker), priority="P2")


BUILDERS = {
    ProcessInstance: _process,
    Kpi: _kpi,
    KpiValue: _kpi_value,
    Service: _service,
    ServiceLevelTarget: _sla_target,
}
