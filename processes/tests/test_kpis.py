"""KPIs and their values: numbers only, one value per period, a server-side trend chart."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from itsms.models import Role
from processes import charts, services
from processes.models import Kpi, KpiValue, ProcessInstance

from .factories import KpiFactory, KpiValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(org_a):
    services.process_instances_ensure(org_a)
    return ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")


@pytest.fixture
def kpi(incident):
    return KpiFactory(process=incident, name="Resolved within SLA", target=Decimal("95"), unit="%")


def value_url(org, kpi):
    return reverse("processes:kpi_value_create", kwargs={"org_slug": org.slug, "pk": kpi.pk})


def test_a_consultant_adds_a_kpi_to_a_process(client, org_a, consultant, incident):
    client.force_login(consultant)
    url = reverse("processes:kpi_create", kwargs={"org_slug": org_a.slug, "pk": incident.pk})
    response = client.post(
        url,
        {
            "name": "Mean time to restore",
            "target": "4",
            "unit": "h",
            "period": "monthly",
            "direction": "lower",
        },
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get(process=incident)
    assert kpi.organization == org_a and kpi.history.first().history_user == consultant
    again = client.post(url, {"name": "mean time to restore", "target": "4", "period": "monthly"})
    assert again.status_code == 400 and "already has a KPI" in again.content.decode()


def test_a_value_that_is_not_a_number_is_a_field_error_and_nothing_is_saved(
    client, org_a, consultant, kpi
):
    client.force_login(consultant)
    response = client.post(value_url(org_a, kpi), {"period_start": "2026-01-01", "value": "ninety"})
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert not KpiValue.objects.exists()


def test_the_api_answers_400_to_a_value_that_is_not_a_number(api_client, consultant, kpi):
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:kpi-value-list")
    response = api_client.post(
        url, {"kpi": kpi.pk, "period_start": "2026-01-01", "value": "ninety"}, format="json"
    )
    assert response.status_code == 400 and "value" in response.json()
    assert not KpiValue.objects.exists()
    ok = api_client.post(
        url, {"kpi": kpi.pk, "period_start": "2026-01-01", "value": "97.5"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["meets_target"] is True
    assert KpiValue.objects.get().recorded_by == consultant


def test_a_second_value_for_the_same_period_is_refused(client, api_client, org_a, consultant, kpi):
    KpiValueFactory(kpi=kpi, period_start=date(2026, 1, 1), value=Decimal("90"))
    client.force_login(consultant)
    response = client.post(value_url(org_a, kpi), {"period_start": "2026-01-01", "value": "99"})
    assert response.status_code == 400
    assert "already recorded" in response.content.decode()
    api_client.force_authenticate(consultant)
    api = api_client.post(
        reverse("processes-api:kpi-value-list"),
        {"kpi": kpi.pk, "period_start": "2026-01-01", "value": "99"},
        format="json",
    )
    assert api.status_code == 400 and "period_start" in api.json()
    assert list(KpiValue.objects.values_list("value", flat=True)) == [Decimal("90")]


def test_the_service_turns_a_duplicate_period_into_a_validation_error(consultant, kpi):
    from django.core.exceptions import ValidationError

    services.kpi_value_record(
        kpi=kpi, actor=consultant, period_start=date(2026, 2, 1), value=Decimal("1")
    )
    with pytest.raises(ValidationError):
        services.kpi_value_record(
            kpi=kpi, actor=consultant, period_start=date(2026, 2, 1), value=Decimal("2")
        )


def test_the_process_page_form_records_a_value(client, org_a, consultant, kpi):
    client.force_login(consultant)
    prefix = f"kpi{kpi.pk}"
    response = client.post(
        value_url(org_a, kpi),
        {f"{prefix}-period_start": "2026-03-01", f"{prefix}-value": "93", f"{prefix}-note": "x"},
    )
    assert response.status_code == 302
    assert KpiValue.objects.get().value == Decimal("93")


def test_the_trend_chart_is_inline_svg_with_values_and_a_dashed_target(kpi):
    values = [
        KpiValueFactory(kpi=kpi, period_start=date(2026, m, 1), value=Decimal(v))
        for m, v in ((1, "90"), (2, "96"), (3, "99.5"))
    ]
    svg = str(charts.kpi_trend_svg(kpi, values))
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    assert 'stroke-dasharray="5 4"' in svg and "Target: 95%" in svg
    assert svg.count('class="point met"') == 2 and svg.count('class="point missed"') == 1
    assert "2026-01-01: 90%" in svg and "99.5%" in svg
    assert "<polyline" in svg


def test_lower_is_better_kpis_colour_points_the_other_way(incident):
    kpi = KpiFactory(process=incident, name="Restore time", target=Decimal("4"), direction="lower")
    values = [KpiValueFactory(kpi=kpi, value=Decimal("3")), KpiValueFactory(kpi=kpi, value=5)]
    svg = str(charts.kpi_trend_svg(kpi, values))
    assert svg.count("point met") == 1 and svg.count("point missed") == 1


def test_a_chart_without_values_says_so_and_escapes_names(incident):
    kpi = KpiFactory(process=incident, name="<b>x</b>", target=Decimal("1"))
    svg = str(charts.kpi_trend_svg(kpi, []))
    assert "No values recorded yet" in svg and "<b>" not in svg


def test_the_process_page_shows_each_kpi_with_its_chart(client, org_a, members, kpi):
    KpiValueFactory(kpi=kpi, period_start=date(2026, 1, 1), value=Decimal("91"))
    client.force_login(members[Role.VIEWER])
    url = reverse("processes:process_detail", kwargs={"org_slug": org_a.slug, "pk": kpi.process_id})
    html = client.get(url).content.decode()
    assert "Resolved within SLA" in html and '<svg class="kpi-chart"' in html
    assert "Record value" not in html  # a viewer records nothing


def test_a_contributor_records_values_only_on_their_own_process(
    client, org_a, members, consultant, kpi, incident
):
    contributor = members[Role.CONTRIBUTOR]
    client.force_login(contributor)
    data = {"period_start": "2026-01-01", "value": "97"}
    assert client.post(value_url(org_a, kpi), data).status_code == 403
    services.process_instance_update(
        instance=incident, actor=consultant, version=incident.version, owner=contributor
    )
    assert client.post(value_url(org_a, kpi), data).status_code == 302
    other = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.3")
    other_kpi = KpiFactory(process=other)
    assert client.post(value_url(org_a, other_kpi), data).status_code == 403


def test_kpi_api_create_is_limited_to_processes_the_user_may_edit(
    api_client, org_a, org_b, members, incident
):
    services.process_instances_ensure(org_b)
    foreign = ProcessInstance.objects.filter(organization=org_b).first()
    payload = {"name": "Backlog", "target": "10", "unit": "count", "period": "monthly"}
    api_client.force_authenticate(members[Role.CONSULTANT])
    url = reverse("processes-api:kpi-list")
    outsider = api_client.post(url, {**payload, "process": foreign.pk}, format="json")
    assert outsider.status_code == 400 and "process" in outsider.json()
    assert (
        api_client.post(url, {**payload, "process": incident.pk}, format="json").status_code == 201
    )
    api_client.force_authenticate(members[Role.CONTRIBUTOR])
    denied = api_client.post(
        url, {**payload, "name": "Other", "process": incident.pk}, format="json"
    )
    assert denied.status_code == 403
    api_client.force_authenticate(members[Role.VIEWER])
    assert (
        api_client.post(url, {**payload, "process": incident.pk}, format="json").status_code == 403
    )
    assert Kpi.objects.filter(organization=org_a).count() == 1
