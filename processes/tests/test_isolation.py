"""The isolation sweep, narrowed to this app's routes, so a failure elsewhere cannot hide ours.

tests/test_isolation_sweep.py covers every route of the project; this runs the same
checks (same helpers) over the ``processes`` and ``processes-api`` routes only.
"""

import pytest
from django.urls import reverse

from processes.models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget
from tests.harness.world import MARKER
from tests.test_isolation_sweep import (
    PAYLOADS,
    is_tenant_route,
    kwargs_for,
    request,
    sweep_routes,
)

from .builders import BUILDERS

pytestmark = pytest.mark.django_db

MODELS = (ProcessInstance, Kpi, KpiValue, Service, ServiceLevelTarget)


def our_routes():
    return [r for r in sweep_routes() if r.namespace in ("processes", "processes-api")]


def plant(org, marker=MARKER):
    """Only this app's rows: another app's builders cannot break (or hide) these checks."""
    return {model: build(org, marker) for model, build in BUILDERS.items()}


@pytest.fixture
def world(org_a, org_b, members):
    return {"a": plant(org_a, marker="alphaown"), "b": plant(org_b)}


def snapshot(org):
    return {m: list(m.objects.filter(organization=org).values()) for m in MODELS}


def test_another_organisations_objects_answer_404_everywhere(
    client, org_a, org_b, world, consultant
):
    client.force_login(consultant)
    before = snapshot(org_b)
    checked = 0
    for route in our_routes():
        if not is_tenant_route(route) or not route.kwargs:
            continue
        variants = [kwargs_for(route, org_b, world["b"])]
        if "org_slug" in route.kwargs and len(route.kwargs) > 1:
            variants.append({**variants[0], "org_slug": org_a.slug})
        for kwargs in variants:
            url = reverse(route.name, kwargs=kwargs)
            for method in route.methods:
                response = request(client, method, url, PAYLOADS.get(method))
                assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                checked += 1
    for route in our_routes():
        if route.is_drf and route.drf_action == "list" and is_tenant_route(route):
            response = client.get(reverse(route.name) + f"?organization={org_b.slug}")
            assert response.status_code == 404, route.name
    assert checked > 30
    assert snapshot(org_b) == before


@pytest.mark.parametrize("who", ["consultant", "viewer", "outsider"])
def test_no_page_or_api_of_a_shows_bs_data(client, org_a, world, members, who, outsider):
    client.force_login(outsider if who == "outsider" else members[who])
    seen = 0
    for route in our_routes():
        if "GET" not in route.methods:
            continue
        url = reverse(route.name, kwargs=kwargs_for(route, org_a, world["a"]))
        if route.is_drf and route.drf_action == "list" and is_tenant_route(route):
            url += f"?organization={org_a.slug}"
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode("utf-8", "replace").lower()
        assert MARKER not in body, f"{url} shows organisation B's data"
        if who == "outsider" and is_tenant_route(route) and route.kwargs:
            assert response.status_code == 404, url
        seen += 1
    assert seen >= 15


def test_a_pages_own_data_is_shown_so_the_sweep_is_meaningful(client, org_a, world, consultant):
    client.force_login(consultant)
    for name in ("service_list", "service_catalogue", "service_catalogue_csv", "process_list"):
        body = client.get(reverse(f"processes:{name}", kwargs={"org_slug": org_a.slug}))
        assert "alphaown" in body.content.decode("utf-8-sig").lower(), name
