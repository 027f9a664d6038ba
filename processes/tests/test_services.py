"""The service portfolio: catalogue page and CSV, SLA targets, choices limited to the org."""

import csv
import io

import pytest
from django.urls import reverse

from itsms.models import Role
from processes import services
from processes.exports import safe_cell
from processes.models import ProcessInstance, Service, ServiceLevelTarget
from tests.factories import MembershipFactory

from .factories import ServiceFactory, ServiceLevelTargetFactory

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"processes:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def portfolio(org_a):
    live = ServiceFactory(organization=org_a, name="网上银行 Online banking", status="catalogue")
    ServiceLevelTargetFactory(
        service=live, priority="P1", response_minutes=15, resolution_minutes=240
    )
    ServiceFactory(organization=org_a, name='=HYPERLINK("http://evil")', status="catalogue")
    ServiceFactory(organization=org_a, name="Blockchain pilot", status="pipeline")
    ServiceFactory(organization=org_a, name="Fax gateway", status="retired")
    return live


def service_form(**changes):
    data = {
        "name": "Payments",
        "status": "catalogue",
        "description": "Card and transfer payments",
        "customers": "Retail customers",
        "owner": "",
        "availability_target": "99.9",
        "sla_p1_response": "15",
        "sla_p1_resolution": "240",
    }
    data.update(changes)
    return data


def test_the_service_list_shows_every_status_and_filters(client, org_a, members, portfolio):
    client.force_login(members[Role.VIEWER])
    html = client.get(url("service_list", org_a)).content.decode()
    for name in ("Online banking", "Blockchain pilot", "Fax gateway"):
        assert name in html
    pipeline = client.get(url("service_list", org_a), {"status": "pipeline"}).content.decode()
    assert "Blockchain pilot" in pipeline and "Fax gateway" not in pipeline
    assert "New service" not in html  # viewers change nothing


def test_the_catalogue_page_shows_only_catalogue_services(client, org_a, members, portfolio):
    client.force_login(members[Role.VIEWER])
    html = client.get(url("service_catalogue", org_a)).content.decode()
    assert "网上银行 Online banking" in html and "P1 — critical" in html
    assert "Blockchain pilot" not in html and "Fax gateway" not in html


def test_the_catalogue_csv_is_excel_ready_and_injection_safe(client, org_a, members, portfolio):
    client.force_login(members[Role.VIEWER])
    response = client.get(url("service_catalogue_csv", org_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="service-catalogue-alpha-bank.csv"'
    )
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(["网上银行 Online banking", '\'=HYPERLINK("http://evil")'])
    banking = next(r for r in rows if r[0].startswith("网上银行"))
    assert banking[5:7] == ["15", "240"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Safe", "Safe"),
        (None, ""),
    ],
)
def test_formula_cells_are_quoted(value, expected):
    assert safe_cell(value) == expected


def test_a_consultant_creates_a_service_with_sla_targets_and_processes(client, org_a, consultant):
    services.process_instances_ensure(org_a)
    incident = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")
    client.force_login(consultant)
    response = client.post(
        url("service_create", org_a),
        service_form(owner=consultant.pk, processes=[incident.pk], clauses=[incident.clause_id]),
    )
    assert response.status_code == 302, response.content.decode()
    service = Service.objects.get(organization=org_a)
    assert service.owner == consultant and list(service.processes.all()) == [incident]
    target = service.sla_targets.get()
    assert (target.priority, target.response_minutes, target.resolution_minutes) == (
        "P1",
        15,
        240,
    )
    assert service.history.first().history_user == consultant
    detail = client.get(url("service_detail", org_a, pk=service.pk)).content.decode()
    assert "Incident management" in detail and "240 minutes" in detail


def test_resolution_shorter_than_response_is_refused(client, org_a, consultant):
    client.force_login(consultant)
    response = client.post(
        url("service_create", org_a), service_form(sla_p1_response="60", sla_p1_resolution="30")
    )
    assert response.status_code == 400
    assert "cannot be shorter than the response time" in response.content.decode()
    missing = client.post(url("service_create", org_a), service_form(sla_p1_resolution=""))
    assert missing.status_code == 400 and "Give both" in missing.content.decode()
    zero = client.post(url("service_create", org_a), service_form(sla_p1_response="0"))
    assert zero.status_code == 400
    assert not Service.objects.exists()


def test_availability_and_name_are_validated(client, org_a, consultant, portfolio):
    client.force_login(consultant)
    high = client.post(url("service_create", org_a), service_form(availability_target="101"))
    assert high.status_code == 400
    assert "less than or equal to 100" in high.content.decode()
    same = client.post(url("service_create", org_a), service_form(name="fax GATEWAY"))
    assert same.status_code == 400 and "already exists" in same.content.decode()


def test_an_owner_or_process_from_another_organisation_is_refused(
    client, api_client, org_a, org_b, consultant
):
    stranger = MembershipFactory(organization=org_b, role=Role.ADMIN).user
    services.process_instances_ensure(org_b)
    foreign = ProcessInstance.objects.filter(organization=org_b).first()
    client.force_login(consultant)
    response = client.post(
        url("service_create", org_a), service_form(owner=stranger.pk, processes=[foreign.pk])
    )
    assert response.status_code == 400
    assert response.content.decode().count("Select a valid choice") == 2
    api_client.force_authenticate(consultant)
    payload = {"organization": org_a.slug, "name": "Payments", "owner": stranger.email}
    api = api_client.post(reverse("processes-api:service-list"), payload, format="json")
    assert api.status_code == 400 and "owner" in api.json()
    api = api_client.post(
        reverse("processes-api:service-list"),
        {"organization": org_a.slug, "name": "Payments", "processes": [foreign.pk]},
        format="json",
    )
    assert api.status_code == 400 and "processes" in api.json()
    assert not Service.objects.filter(organization=org_a).exists()


def test_the_service_api_crud_with_nested_sla_targets(api_client, org_a, consultant, members):
    api_client.force_authenticate(consultant)
    listing = reverse("processes-api:service-list")
    created = api_client.post(
        listing,
        {
            "organization": org_a.slug,
            "name": "Service desk",
            "status": "catalogue",
            "owner": members[Role.ADMIN].email,
            "availability_target": "99.5",
            "clauses": ["8.6.1", "8.6.2"],
            "sla_targets": [
                {"priority": "P1", "response_minutes": 15, "resolution_minutes": 120},
                {"priority": "P4", "response_minutes": 480, "resolution_minutes": 4800},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    detail = reverse("processes-api:service-detail", args=[pk])
    bad = api_client.patch(
        detail,
        {"sla_targets": [{"priority": "P1", "response_minutes": 60, "resolution_minutes": 5}]},
        format="json",
    )
    assert bad.status_code == 400 and "sla_targets" in bad.json()
    patched = api_client.patch(
        detail,
        {"sla_targets": [{"priority": "P2", "response_minutes": 30, "resolution_minutes": 480}]},
        format="json",
    )
    assert patched.status_code == 200
    assert [t["priority"] for t in patched.json()["sla_targets"]] == ["P2"]
    assert ServiceLevelTarget.objects.filter(service_id=pk).count() == 1
    rows = api_client.get(listing, {"organization": org_a.slug, "status": "catalogue"}).json()
    assert [r["name"] for r in rows["results"]] == ["Service desk"]
    assert api_client.delete(detail).status_code == 204


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER])
def test_only_consultants_and_admins_change_services(
    client, api_client, org_a, members, portfolio, role
):
    client.force_login(members[role])
    assert client.get(url("service_create", org_a)).status_code == 403
    assert client.post(url("service_create", org_a), service_form()).status_code == 403
    edit = url("service_edit", org_a, pk=portfolio.pk)
    assert client.post(edit, service_form(name="Hijacked")).status_code == 403
    api_client.force_authenticate(members[role])
    api = api_client.post(
        reverse("processes-api:service-list"),
        {"organization": org_a.slug, "name": "X"},
        format="json",
    )
    assert api.status_code == 403
    detail = reverse("processes-api:service-detail", args=[portfolio.pk])
    assert api_client.patch(detail, {"name": "Hijacked"}, format="json").status_code == 403
    portfolio.refresh_from_db()
    assert portfolio.name == "网上银行 Online banking"


def test_editing_a_service_keeps_its_history(client, org_a, consultant, portfolio):
    client.force_login(consultant)
    response = client.post(
        url("service_edit", org_a, pk=portfolio.pk),
        service_form(
            name=portfolio.name, status="retired", sla_p1_response="", sla_p1_resolution=""
        ),
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.status == "retired" and not portfolio.sla_targets.exists()
    page = client.get(url("service_detail", org_a, pk=portfolio.pk)).content.decode()
    assert "Retired" in page and consultant.get_full_name() in page  # a name, not an id
    assert '<li data-field="status">Status: <del>' in page and "<ins>Retired</ins>" in page
