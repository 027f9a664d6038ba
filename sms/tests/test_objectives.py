"""Service management objectives: a KPI's values feed the current value and met / not met; a
value recorded by hand does otherwise; the plan of 6.2.2 is kept."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from itsms.models import Role
from processes import services as processes
from processes.models import ProcessInstance
from sms import selectors, services
from sms.models import Objective

from .factories import objective

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


@pytest.fixture
def kpi(org_a, admin):
    processes.process_instances_ensure(org_a)
    incident = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")
    return processes.kpi_create(
        process=incident,
        actor=admin,
        name="P1 incidents resolved within 4 h",
        target=Decimal("95"),
        unit="%",
        period="monthly",
        direction="higher",
    )


def measured(org):
    return {
        o.pk: o
        for o in selectors.with_measurement(
            selectors.objective_list(Objective.objects.filter(organization=org))
        )
    }


def test_the_kpis_latest_value_is_the_objectives_current_value(org_a, admin, kpi):
    row = services.objective_create(
        organization=org_a, actor=admin, title="Resolve P1 incidents within 4 hours", kpi=kpi
    )
    assert measured(org_a)[row.pk].value is None  # no value yet: unknown, not "not met"
    assert measured(org_a)[row.pk].met is None
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 1, 1), value=96)
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 2, 1), value=93)
    seen = measured(org_a)[row.pk]
    assert seen.value == Decimal("93") and seen.met is False
    assert seen.target_display == "95%" and seen.value_display == "93%"
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 3, 1), value=97.5)
    assert measured(org_a)[row.pk].met is True


def test_an_objective_with_its_own_target_overrides_the_kpis(org_a, admin, kpi):
    row = services.objective_create(
        organization=org_a, actor=admin, title="Even better", kpi=kpi, target=Decimal("98")
    )
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 1, 1), value=96)
    assert measured(org_a)[row.pk].met is False


@pytest.mark.parametrize(
    "direction,value,met",
    [
        ("higher", "99.95", True),
        ("higher", "99.5", False),
        ("lower", "3", True),
        ("lower", "5", False),
    ],
)
def test_a_value_recorded_by_hand_is_judged_in_the_objectives_direction(
    org_a, admin, direction, value, met
):
    target = "99.9" if direction == "higher" else "4"
    row = objective(
        org_a, admin, target=Decimal(target), direction=direction, current_value=Decimal(value)
    )
    assert measured(org_a)[row.pk].met is met


def test_a_kpi_measured_objective_takes_no_value_by_hand(org_a, admin, kpi):
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            organization=org_a, actor=admin, title="X", kpi=kpi, current_value=Decimal("1")
        )
    assert "current_value" in error.value.message_dict


def test_an_objective_needs_a_target_or_a_kpi(org_a, admin):
    with pytest.raises(ValidationError) as error:
        services.objective_create(organization=org_a, actor=admin, title="Be better")
    assert "target" in error.value.message_dict


def test_a_kpi_of_another_organisation_is_refused_by_the_form(client, org_a, org_b, admin):
    processes.process_instances_ensure(org_b)
    other = processes.kpi_create(
        process=ProcessInstance.objects.filter(organization=org_b).first(),
        actor=None,
        name="Their KPI",
        target=Decimal("1"),
    )
    client.force_login(admin)
    response = client.post(
        reverse("sms:objective_create", kwargs={"org_slug": org_a.slug}),
        {"title": "Mine", "kpi": other.pk, "direction": "higher", "status": "planned"},
    )
    assert response.status_code == 400
    assert "kpi" in response.context["form"].errors
    assert not Objective.objects.filter(organization=org_a).exists()


def test_the_plan_of_6_2_2_is_shown_on_the_objective(client, org_a, admin, kpi):
    row = services.objective_create(
        organization=org_a,
        actor=admin,
        title="Resolve P1 incidents within 4 hours",
        kpi=kpi,
        plan_what="Swarming on every P1",
        plan_resources="Two more engineers on call",
        plan_responsible="Zhao Lei",
        plan_when="By the end of Q3",
        plan_evaluation="Monthly in the service review",
    )
    processes.kpi_value_record(kpi=kpi, actor=admin, period_start=date(2026, 1, 1), value=91.5)
    client.force_login(admin)
    page = client.get(
        reverse("sms:objective_detail", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    )
    html = page.content.decode()
    for text in (
        "Swarming on every P1",
        "Two more engineers on call",
        "Zhao Lei",
        "By the end of Q3",
        "Monthly in the service review",
        "91.5%",
        "not met",
    ):
        assert text in html
    assert 'data-testid="kpi-trend"' in html
