"""Bad filter values are refused with a field error, never a 500 — generated over every FilterSet.

Every FilterSet of the project (subclasses of ``itsms.shared.filters.FilterSet``) is found
with the routes that use it: API lists (``filterset_class`` / ``filterset_fields``) and pages
(``filterset_classes`` on the view). Each filter field of each is fed out-of-range, negative,
non-numeric, huge and malformed values; the API answers 200 or 400 naming the field, the page
answers 200 (400 for a download) and shows the field's error. A FilterSet that no route uses
fails the test, so a new one cannot escape it.
"""

import pytest
from django.urls import reverse

from itsms.models import Role
from itsms.shared.filters import FilterBackend, FilterSet

from .harness.urls import all_routes
from .harness.world import plant

pytestmark = pytest.mark.django_db

#: Fed to every filter field.
BAD_VALUES = [
    "99999999999999999999",  # beyond 64 bits: OverflowError on SQLite, DataError on PostgreSQL
    "-1",
    "abc",
    "2026-13-45",
    "9" * 400,
    "true'--",
    "\x00",
]
#: What a page's text and choice filters get.
PAGE_SAMPLE = ["99999999999999999999", "abc", "\x00"]
#: Fed to number filters too.
BAD_NUMBERS = [str(2**63), "-99999999999999999999", "1.5", "1e400", "NaN", "0x1F", " "]
#: Values no number filter may accept (the test checks each is refused, naming the field).
NOT_A_NUMBER_IN_RANGE = {"99999999999999999999", str(2**63), "-99999999999999999999", "abc"}


def _project_filtersets():
    found, todo = set(), [FilterSet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            # A FilterSet without a model is a base others build on (sms.RecordFilterSet).
            if not sub.__module__.startswith(("django_filters", "itsms.shared")) and (
                sub._meta.model is not None
            ):
                found.add(sub)
    return found


def _api_filterset(view_class):
    if getattr(view_class, "filterset_class", None) is None and not getattr(
        view_class, "filterset_fields", None
    ):
        return None
    view = view_class()
    return FilterBackend().get_filterset_class(view, view_class.queryset)


def filter_routes():
    """(route name, kind, FilterSet) for every list that filters."""
    found = []
    for route in all_routes():
        if "format" in route.kwargs:
            continue
        view_class = route.view_class
        if route.is_drf and route.drf_action == "list" and view_class is not None:
            filterset = _api_filterset(view_class)
            if filterset is not None:
                found.append((route.name, "api", filterset))
        elif not route.is_drf and view_class is not None:
            for filterset in getattr(view_class, "filterset_classes", ()):
                found.append((route.name, "page", filterset))
    return found


ROUTES = filter_routes()


def test_every_filterset_is_used_by_a_route_this_test_calls():
    used = {filterset for _name, _kind, filterset in ROUTES}
    missing = {f.__qualname__ for f in _project_filtersets() if f not in used}
    assert not missing, (
        f"FilterSets no route declares: {sorted(missing)}. A page lists its FilterSets in "
        "`filterset_classes`; an API list in `filterset_class`."
    )
    kinds = {kind for _name, kind, _f in ROUTES}
    assert kinds == {"api", "page"} and len(ROUTES) >= 15


@pytest.fixture
def world(org_a, members):
    plant(org_a, marker="alpha")
    return org_a


@pytest.mark.parametrize(
    ("name", "kind", "filterset"), ROUTES, ids=[f"{n}[{f.__name__}]" for n, _k, f in ROUTES]
)
def test_bad_filter_values_are_refused_never_a_500(
    name, kind, filterset, world, members, client, api_client
):
    consultant = members[Role.CONSULTANT]
    if kind == "api":
        api_client.force_authenticate(consultant)
        url = reverse(name)
    else:
        client.force_login(consultant)
        url = reverse(name, kwargs={"org_slug": world.slug})
    numbers = {
        field
        for field, f in filterset.base_filters.items()
        if f.field_class.__name__ in ("IntegerField", "DecimalField", "FloatField")
    }
    for field in filterset.base_filters:
        values = BAD_VALUES + (BAD_NUMBERS if field in numbers else [])
        if kind == "page" and field not in numbers:
            values = PAGE_SAMPLE  # pages are slower to render; text fields need fewer probes
        for value in values:
            params = {field: value}
            if kind == "api":
                params["organization"] = world.slug
                response = api_client.get(url, params)
            else:
                response = client.get(url, params)
            where = f"{name} ?{field}={value[:30]!r}"
            assert response.status_code < 500, where
            refused = field in numbers and value in NOT_A_NUMBER_IN_RANGE
            if kind == "api":
                assert response.status_code in (200, 400), where
                if response.status_code == 400:
                    assert field in response.json(), where
                assert response.status_code == 400 or not refused, where
            elif response["Content-Type"].startswith("text/html"):
                assert response.status_code == 200, where
                if refused:
                    assert 'data-testid="filter-errors"' in response.content.decode(), where
            else:  # a download: no page to show the error on, so 400 with the error as text
                assert response.status_code in (200, 400), where
                assert response.status_code == 400 or not refused, where


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "99999999999999999999", " 1"])
def test_a_malformed_page_number_answers_400(value, org_a, consultant, api_client):
    api_client.force_authenticate(consultant)
    response = api_client.get(
        reverse("itsms-api:membership-list"), {"organization": org_a.slug, "page": value}
    )
    assert response.status_code == 400
    assert "page" in response.json()


def test_a_page_past_the_last_answers_404_and_a_good_one_200(org_a, consultant, api_client):
    api_client.force_authenticate(consultant)
    url = reverse("itsms-api:membership-list")
    assert api_client.get(url, {"organization": org_a.slug, "page": "1"}).status_code == 200
    assert api_client.get(url, {"organization": org_a.slug, "page": "99"}).status_code == 404


@pytest.mark.parametrize("value", ["", "not a slug", "a" * 51, "alpha-bank\x00"])
def test_an_empty_or_malformed_organization_answers_400(value, org_a, consultant, api_client):
    api_client.force_authenticate(consultant)
    response = api_client.get(reverse("itsms-api:membership-list"), {"organization": value})
    assert response.status_code == 400
    assert "organization" in response.json()


def test_the_schema_declares_the_bounds_the_server_enforces(consultant, api_client):
    api_client.force_authenticate(consultant)
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]

    def parameter(path, name):
        return next(p for p in paths[path]["get"]["parameters"] if p["name"] == name)

    process = parameter("/api/v1/kpis/", "process")["schema"]
    assert process == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert parameter("/api/v1/audits/", "year")["schema"]["maximum"] == 9999
    assert parameter("/api/v1/memberships/", "page")["schema"]["minimum"] == 1
    organization = parameter("/api/v1/memberships/", "organization")
    assert organization["required"] and organization["schema"]["minLength"] == 1


LIST_ROUTES = sorted(
    {route.name for route in all_routes() if route.is_drf and route.drf_action == "list"}
)


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_a_nul_in_the_organization_is_refused_by_every_list_and_create(
    name, org_a, consultant, api_client
):
    """PostgreSQL refuses a NUL in a query: the slug is checked before it reaches SQL."""
    api_client.force_authenticate(consultant)
    url = reverse(name)
    listed = api_client.get(url, {"organization": "alpha-bank\x00"})
    assert listed.status_code in (200, 400), name  # 200: a list not filtered by organisation
    if listed.status_code == 400:
        assert "organization" in listed.json(), name
    else:
        assert "organization" not in listed.json(), name
    created = api_client.post(url, {"organization": "alpha-bank\x00"}, format="json")
    assert created.status_code in (400, 403, 405), name
