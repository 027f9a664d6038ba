"""Risks and opportunities: scores on the organisation's scale, the treatment state, the heat
map, treatment actions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from itsms.models import Role
from sms import selectors, services
from sms.models import Risk, RiskLevel, SmsSettings, TreatmentState

from .factories import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


def scale(org, **fields):
    values = {"likelihood_levels": 5, "impact_levels": 5, "acceptable_up_to": 4, "high_from": 15}
    values.update(fields)
    return SmsSettings(organization=org, **values)


@pytest.mark.parametrize(
    "kind,likelihood,impact,treatment,residual,state",
    [
        ("risk", 1, 4, "", None, TreatmentState.ACCEPTABLE),  # 4: within the acceptable level
        ("risk", 3, 4, "", None, TreatmentState.UNTREATED),  # 12: a treatment is to decide
        ("risk", 3, 4, "accept", None, TreatmentState.TREATED),  # accepting is the treatment
        ("risk", 3, 4, "reduce", None, TreatmentState.PLANNED),  # residual not assessed yet
        ("risk", 3, 4, "reduce", (2, 3), TreatmentState.TREATED),
        ("risk", 5, 5, "transfer", (2, 5), TreatmentState.TREATED),
        ("opportunity", 4, 4, "", None, TreatmentState.ACCEPTABLE),  # nothing to treat
    ],
)
def test_the_treatment_state_of_a_risk(org_a, kind, likelihood, impact, treatment, residual, state):
    row = Risk(
        organization=org_a,
        kind=kind,
        likelihood=likelihood,
        impact=impact,
        treatment=treatment,
        residual_likelihood=residual[0] if residual else None,
        residual_impact=residual[1] if residual else None,
    )
    assert row.treatment_state(scale(org_a)) == state


def test_scores_are_likelihood_times_impact_and_the_current_one_is_the_residual(org_a):
    row = Risk(organization=org_a, likelihood=4, impact=5)
    assert (row.inherent_score, row.residual_score, row.current_score) == (20, None, 20)
    row.residual_likelihood, row.residual_impact = 2, 3
    assert (row.inherent_score, row.residual_score, row.current_score) == (20, 6, 6)


@pytest.mark.parametrize(
    "score,level",
    [
        (1, RiskLevel.LOW),
        (4, RiskLevel.LOW),
        (5, RiskLevel.MEDIUM),
        (14, RiskLevel.MEDIUM),
        (15, RiskLevel.HIGH),
        (25, RiskLevel.HIGH),
        (None, None),
    ],
)
def test_levels_follow_the_organisations_thresholds(org_a, score, level):
    assert scale(org_a).level_of(score) == level


def test_a_score_off_the_organisations_scale_is_refused(org_a, admin):
    with pytest.raises(ValidationError) as error:
        risk(org_a, admin, likelihood=6, impact=2)
    assert "likelihood" in error.value.message_dict
    services.settings_update(organization=org_a, actor=admin, likelihood_levels=10, high_from=30)
    assert risk(org_a, admin, likelihood=6, impact=2).inherent_score == 12


def test_a_narrower_scale_is_refused_while_risks_are_scored_above_it(org_a, admin):
    services.settings_update(organization=org_a, actor=admin, impact_levels=10, high_from=30)
    risk(org_a, admin, likelihood=2, impact=8)
    with pytest.raises(ValidationError) as error:
        services.settings_update(organization=org_a, actor=admin, impact_levels=5, high_from=15)
    assert "impact_levels" in error.value.message_dict
    assert SmsSettings.objects.get(organization=org_a).impact_levels == 10


def test_the_residual_risk_is_not_higher_than_before_treatment(org_a, admin):
    with pytest.raises(ValidationError) as error:
        risk(
            org_a,
            admin,
            likelihood=2,
            impact=2,
            treatment="reduce",
            residual_likelihood=3,
            residual_impact=3,
        )
    assert "residual_impact" in error.value.message_dict


def test_a_residual_score_needs_both_values_and_a_treatment(org_a, admin):
    with pytest.raises(ValidationError) as error:
        risk(org_a, admin, residual_likelihood=1)
    assert set(error.value.message_dict) >= {"residual_impact", "treatment"}


def test_records_are_numbered_per_organisation_and_register(org_a, org_b, admin):
    first, second = risk(org_a, admin), risk(org_a, admin, title="Second")
    other = services.risk_create(organization=org_b, actor=None, title="B", likelihood=1, impact=1)
    assert (first.reference, second.reference, other.reference) == ("R-001", "R-002", "R-001")


def test_the_heat_map_counts_open_risks_per_cell_before_and_after_treatment(org_a, admin):
    risk(org_a, admin, likelihood=3, impact=4)
    risk(
        org_a,
        admin,
        likelihood=3,
        impact=4,
        treatment="reduce",
        residual_likelihood=1,
        residual_impact=4,
    )
    risk(org_a, admin, likelihood=5, impact=5, status="closed")  # closed: not on the map
    risk(org_a, admin, kind="opportunity", likelihood=2, impact=2)  # not a threat
    queryset = Risk.objects.filter(organization=org_a)
    before = selectors.heat_map(queryset, scale(org_a), basis="inherent")
    after = selectors.heat_map(queryset, scale(org_a), basis="residual")
    cells = {(c.likelihood, c.impact): c for _l, row in before.rows for c in row}
    assert cells[(3, 4)].count == 2 and before.total == 2
    assert cells[(3, 4)].level == RiskLevel.MEDIUM and cells[(5, 5)].count == 0
    moved = {(c.likelihood, c.impact): c.count for _l, row in after.rows for c in row}
    assert moved[(3, 4)] == 1 and moved[(1, 4)] == 1
    assert [likelihood for likelihood, _row in before.rows] == [5, 4, 3, 2, 1]


def test_the_heat_map_page_links_each_cell_to_its_risks(client, org_a, admin):
    risk(org_a, admin, title="Power loss", likelihood=3, impact=4)
    risk(org_a, admin, title="Flood", likelihood=1, impact=5)
    client.force_login(admin)
    page = client.get(reverse("sms:risk_heatmap", kwargs={"org_slug": org_a.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "likelihood=3&amp;impact=4" in html and "style=" not in html
    listed = client.get(
        reverse("sms:risk_list", kwargs={"org_slug": org_a.slug}),
        {"open": "true", "kind": "risk", "likelihood": 3, "impact": 4},
    )
    assert "Power loss" in listed.content.decode() and "Flood" not in listed.content.decode()


def test_a_done_action_gets_its_completion_date_and_an_open_one_loses_it(org_a, admin):
    row = risk(org_a, admin)
    action = services.action_create(
        risk=row, actor=admin, description="Second power feed", due_date=date(2026, 1, 1)
    )
    assert action.completed_on is None and action.is_overdue(date(2026, 1, 2))
    done = services.action_update(action=action, actor=admin, version=action.version, status="done")
    assert done.completed_on == org_a.local_today() and not done.is_overdue(date(2030, 1, 1))
    reopened = services.action_update(
        action=done, actor=admin, version=done.version, status="in_progress"
    )
    assert reopened.completed_on is None


def test_a_stale_action_edit_changes_nothing(org_a, admin):
    action = services.action_create(risk=risk(org_a, admin), actor=admin, description="A")
    services.action_update(action=action, actor=admin, version=action.version, description="B")
    with pytest.raises(services.StaleEdit):
        services.action_update(action=action, actor=admin, version=action.version, description="C")
    action.refresh_from_db()
    assert action.description == "B"


def test_the_owner_of_an_action_updates_it_and_others_cannot(client, org_a, members, admin):
    zhao, viewer = members[Role.CONTRIBUTOR], members[Role.VIEWER]
    action = services.action_create(
        risk=risk(org_a, admin), actor=admin, description="Train the desk", owner=zhao
    )
    url = reverse("sms:action_edit", kwargs={"org_slug": org_a.slug, "pk": action.pk})
    data = {
        "description": "Train the desk",
        "owner": zhao.pk,
        "status": "done",
        "version": action.version,
    }
    client.force_login(viewer)
    assert client.post(url, data).status_code == 403
    client.force_login(zhao)
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.history.first().history_user == zhao
