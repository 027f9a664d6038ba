"""Factories of the processes app (users, organisations and memberships: tests/factories.py)."""

from decimal import Decimal

import factory
from django.utils import timezone

from itsms.models import Clause
from processes.models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget
from tests.factories import OrganizationFactory


def catalogue_clause(number="8.6.1"):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


class ProcessInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessInstance
        django_get_or_create = ("organization", "clause")

    organization = factory.SubFactory(OrganizationFactory)
    clause = factory.LazyFunction(catalogue_clause)
    purpose = "Restore normal service as quickly as possible."


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    process = factory.SubFactory(ProcessInstanceFactory)
    organization = factory.SelfAttribute("process.organization")
    name = factory.Sequence(lambda n: f"Incidents resolved within SLA {n}")
    target = Decimal("95")
    unit = "%"
    period = Kpi.Period.MONTHLY
    direction = Kpi.Direction.HIGHER


class KpiValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiValue

    kpi = factory.SubFactory(KpiFactory)
    organization = factory.SelfAttribute("kpi.organization")
    period_start = factory.Sequence(
        lambda n: (
            timezone.datetime(2025, 1, 1).date().replace(year=2025 + n // 12, month=n % 12 + 1)
        )
    )
    value = Decimal("96.5")
    note = ""


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A service."
    customers = "All staff"
    status = Service.Status.CATALOGUE
    availability_target = Decimal("99.5")


class ServiceLevelTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevelTarget

    service = factory.SubFactory(ServiceFactory)
    organization = factory.SelfAttribute("service.organization")
    priority = "P1"
    response_minutes = 15
    resolution_minutes = 240
