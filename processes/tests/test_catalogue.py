"""The clause-8 process catalogue comes from the clause tree, with the 2011 counterparts."""

import pytest
from django.urls import reverse

from processes import selectors
from processes.catalogue import catalogue_clauses
from processes.models import ProcessInstance
from processes.services import process_instances_ensure

pytestmark = pytest.mark.django_db

EXPECTED = [
    "8.1",
    "8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5", "8.2.6",
    "8.3.2", "8.3.3", "8.3.4",
    "8.4.1", "8.4.2", "8.4.3",
    "8.5.1", "8.5.2", "8.5.3",
    "8.6.1", "8.6.2", "8.6.3",
    "8.7.1", "8.7.2", "8.7.3",
]  # fmt: skip


def test_the_catalogue_is_8_1_and_every_third_level_clause_8_process():
    assert [c.number for c in catalogue_clauses()] == EXPECTED


def test_general_headings_and_fourth_level_clauses_are_not_processes():
    numbers = {c.number for c in catalogue_clauses()}
    assert "8.3.1" not in numbers
    assert not any(n.count(".") == 3 for n in numbers)


def test_fourth_level_clauses_are_the_sub_requirements_of_their_process():
    entries = {e.clause.number: e for e in selectors.process_catalogue()}
    assert [c.number for c in entries["8.5.1"].sub_requirements] == [
        "8.5.1.1",
        "8.5.1.2",
        "8.5.1.3",
    ]
    assert [c.number for c in entries["8.3.4"].sub_requirements] == ["8.3.4.1", "8.3.4.2"]
    assert entries["8.6.1"].sub_requirements == []


def test_each_process_shows_its_2011_counterparts_and_asset_management_is_new():
    entries = {e.clause.number: e for e in selectors.process_catalogue()}
    assert [c.other.number for c in entries["8.6.3"].predecessors] == ["8.2"]
    assert all(c.inferred for e in entries.values() for c in e.predecessors)
    assert entries["8.2.5"].clause.new_in_edition
    assert not entries["8.6.1"].clause.new_in_edition


def test_the_catalogue_page_lists_processes_counterparts_and_the_new_one(client, consultant):
    client.force_login(consultant)
    response = client.get(reverse("processes:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-clause=") == len(EXPECTED)
    assert 'data-clause="8.2.5"' in html and "New in 2018" in html
    assert "2011 8.2" in html  # problem management's 2011 counterpart
    assert "own mapping" in html
    assert 'data-clause="8.3.1"' not in html


def test_the_catalogue_api_is_read_only_reference_data(api_client, consultant):
    api_client.force_authenticate(consultant)
    rows = api_client.get(reverse("processes-api:process-catalogue-list")).json()["results"]
    assert [r["number"] for r in rows] == EXPECTED
    asset = api_client.get(reverse("processes-api:process-catalogue-detail", args=["8.2.5"])).json()
    assert asset["new_in_edition"] is True and asset["chapter"] == "8.2"
    change = api_client.get(reverse("processes-api:process-catalogue-detail", args=["8.5.1"]))
    assert [s["number"] for s in change.json()["sub_requirements"]][0] == "8.5.1.1"
    assert {p["other"]["number"] for p in change.json()["predecessors"]} >= {"9.2"}
    missing = api_client.get(reverse("processes-api:process-catalogue-detail", args=["8.3.1"]))
    assert missing.status_code == 404
    post = api_client.post(reverse("processes-api:process-catalogue-list"), {})
    assert post.status_code == 405


def test_instances_are_created_lazily_and_idempotently(org_a):
    assert process_instances_ensure(org_a) == len(EXPECTED)
    assert process_instances_ensure(org_a) == 0
    assert ProcessInstance.objects.filter(organization=org_a).count() == len(EXPECTED)


def test_every_organisation_sees_the_full_catalogue_on_first_visit(client, org_a, members):
    client.force_login(members["viewer"])
    response = client.get(reverse("processes:process_list", kwargs={"org_slug": org_a.slug}))
    assert response.status_code == 200
    assert ProcessInstance.objects.filter(organization=org_a).count() == len(EXPECTED)
    html = response.content.decode()
    assert "8.2.5 Asset management" in html and "8.7.3 Information security management" in html
    client.get(reverse("processes:process_list", kwargs={"org_slug": org_a.slug}))
    assert ProcessInstance.objects.filter(organization=org_a).count() == len(EXPECTED)


def test_a_process_must_be_a_catalogue_clause(org_a):
    from django.core.exceptions import ValidationError

    from itsms.models import Clause

    general = Clause.objects.get(standard__code="iso20000-1-2018", number="8.3.1")
    with pytest.raises(ValidationError) as error:
        ProcessInstance(organization=org_a, clause=general).full_clean()
    assert "clause" in error.value.message_dict
