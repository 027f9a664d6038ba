"""Pages, the CSV export and API lists run the same number of queries at 10 and 1,000 rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from processes import services
from processes.models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 20
API_BUDGET = 12


def grow(org, n, tag):
    """n more services (with an SLA target and a process), KPIs and KPI values in ``org``."""
    services.process_instances_ensure(org)
    processes = list(ProcessInstance.objects.filter(organization=org).order_by("clause__order"))
    made = Service.objects.bulk_create(
        Service(
            organization=org, name=f"Service {tag}-{i}", status=("catalogue", "pipeline")[i % 2]
        )
        for i in range(n)
    )
    ServiceLevelTarget.objects.bulk_create(
        ServiceLevelTarget(
            organization=org, service=s, priority="P1", response_minutes=15, resolution_minutes=60
        )
        for s in made
    )
    Through = Service.processes.through
    Through.objects.bulk_create(
        Through(service=s, processinstance=processes[i % len(processes)])
        for i, s in enumerate(made)
    )
    kpis = Kpi.objects.bulk_create(
        Kpi(
            organization=org,
            process=processes[i % len(processes)],
            name=f"KPI {tag}-{i}",
            target=Decimal("90"),
            unit="%",
        )
        for i in range(n)
    )
    first = date(2020, 1, 1)
    KpiValue.objects.bulk_create(
        KpiValue(
            organization=org,
            kpi=kpis[i % len(kpis)],
            period_start=first + timedelta(days=i // len(kpis)),
            value=Decimal(80 + i % 20),
        )
        for i in range(n)
    )
    return processes


def measure(django_assert_max_num_queries, get, url, params, budget):
    with django_assert_max_num_queries(budget) as ctx:
        response = get(url, params)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


PAGES = [
    ("processes:process_list", False),
    ("processes:process_detail", True),
    ("processes:service_list", False),
    ("processes:service_catalogue", False),
    ("processes:service_catalogue_csv", False),
]


@pytest.mark.parametrize("name,needs_pk", PAGES)
def test_pages_use_constant_queries(
    client, org_a, consultant, django_assert_max_num_queries, name, needs_pk
):
    client.force_login(consultant)
    processes = grow(org_a, 10, "small")
    kwargs = {"org_slug": org_a.slug}
    if needs_pk:
        kwargs["pk"] = processes[0].pk  # 8.1: gets every 22nd KPI
    url = reverse(name, kwargs=kwargs)
    client.get(url)  # warm per-process caches
    small = measure(django_assert_max_num_queries, client.get, url, {}, PAGE_BUDGET)
    grow(org_a, 1000, "large")
    large = measure(django_assert_max_num_queries, client.get, url, {}, PAGE_BUDGET)
    assert small == large


API_LISTS = [
    "processes-api:process-list",
    "processes-api:kpi-list",
    "processes-api:kpi-value-list",
    "processes-api:service-list",
]


@pytest.mark.parametrize("name", API_LISTS)
def test_api_lists_use_constant_queries(
    api_client, org_a, consultant, django_assert_max_num_queries, name
):
    api_client.force_authenticate(consultant)
    grow(org_a, 10, "small")
    url = reverse(name)
    params = {"organization": org_a.slug}
    api_client.get(url, params)
    small = measure(django_assert_max_num_queries, api_client.get, url, params, API_BUDGET)
    grow(org_a, 1000, "large")
    large = measure(django_assert_max_num_queries, api_client.get, url, params, API_BUDGET)
    assert small == large


def test_the_catalogue_api_uses_constant_queries(
    api_client, consultant, django_assert_max_num_queries
):
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-catalogue-list")
    api_client.get(url)
    with django_assert_max_num_queries(6):
        assert api_client.get(url).status_code == 200
