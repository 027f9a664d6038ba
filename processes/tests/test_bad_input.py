"""Bad input never answers 500: pages show field errors, the API answers 400 with details."""

import pytest
from django.urls import reverse

from processes import services
from processes.models import ProcessInstance

from .factories import KpiFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a):
    services.process_instances_ensure(org_a)
    process = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")
    return {
        "process": process,
        "kpi": KpiFactory(process=process),
        "service": ServiceFactory(organization=org_a),
    }


JUNK = [
    {"version": "abc", "maturity": 1},
    {"version": 1, "status": "done"},
    {"version": 1, "last_review_date": "yesterday"},
    {"version": 1, "owner": "nobody@example.com"},
    {"version": 1, "maturity": -1},
    {"version": 1, "clause": 3, "organization": "secretb-harbour"},
]


@pytest.mark.parametrize("payload", JUNK)
def test_junk_process_patches_answer_400(api_client, consultant, world, payload):
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-detail", args=[world["process"].pk])
    response = api_client.patch(url, payload, format="json")
    if set(payload) <= {"version", "clause", "organization"}:
        assert response.status_code == 200  # read-only fields are ignored
        return
    assert response.status_code == 400, response.content
    assert response.json()


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "X", "availability_target": "150"},
        {"name": "X", "availability_target": "abc"},
        {"name": "X", "status": "archived"},
        {"name": "X", "sla_targets": "fast"},
        {"name": "X", "sla_targets": [{"priority": "P9", "response_minutes": 1}]},
        {
            "name": "X",
            "sla_targets": [{"priority": "P1", "response_minutes": 0, "resolution_minutes": 1}],
        },
        {"name": "X", "clauses": ["99.9"]},
        {"name": "X", "processes": ["x"]},
        {"name": "X", "organization": "secretb-harbour"},
    ],
)
def test_junk_services_answer_400(api_client, org_a, consultant, world, payload):
    api_client.force_authenticate(consultant)
    body = {"organization": org_a.slug, **payload}
    response = api_client.post(reverse("processes-api:service-list"), body, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "payload",
    [
        {"period_start": "soon", "value": "1"},
        {"period_start": "2026-01-01", "value": ""},
        {"period_start": "2026-01-01", "value": "1e400"},
        {"period_start": "2026-01-01", "value": "NaN"},
        {"kpi": "x", "period_start": "2026-01-01", "value": "1"},
    ],
)
def test_junk_kpi_values_answer_400(api_client, consultant, world, payload):
    api_client.force_authenticate(consultant)
    body = {"kpi": world["kpi"].pk, **payload}
    response = api_client.post(reverse("processes-api:kpi-value-list"), body, format="json")
    assert response.status_code == 400, response.content


def test_a_process_form_without_its_version_says_so(client, org_a, consultant, world):
    client.force_login(consultant)
    url = reverse(
        "processes:process_edit", kwargs={"org_slug": org_a.slug, "pk": world["process"].pk}
    )
    response = client.post(url, {"status": "planned", "maturity": "1"})
    assert response.status_code == 400
    assert "out of date" in response.content.decode()


def test_junk_filters_and_values_on_pages_do_not_fail(client, org_a, consultant, world):
    client.force_login(consultant)
    pages = [
        ("processes:process_list", {"chapter": "9.9", "owner": "x", "mine": "perhaps"}),
        ("processes:service_list", {"status": "x", "owner": "y", "q": "\x00"}),
    ]
    for name, params in pages:
        response = client.get(reverse(name, kwargs={"org_slug": org_a.slug}), params)
        assert response.status_code == 200
    value_url = reverse(
        "processes:kpi_value_create", kwargs={"org_slug": org_a.slug, "pk": world["kpi"].pk}
    )
    for value in ("NaN", "Infinity", "1e400", "12,5"):
        response = client.post(value_url, {"period_start": "2026-01-01", "value": value})
        assert response.status_code == 400, value
