"""The clause trees loaded by ``migrate`` equal the shipped reference data."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from itsms.models import Clause, ClauseCorrelation, Standard
from itsms.standards.reference import EDITION_2011, PRIMARY, load_reference_data

pytestmark = pytest.mark.django_db

PROJECT_REF = Path(settings.BASE_DIR) / "itsms" / "standards" / "reference"
SHARED_REF = Path(settings.BASE_DIR).parent / "shared" / "reference"


def reference(name):
    return json.loads((PROJECT_REF / name).read_text(encoding="utf-8"))


def test_the_2018_tree_has_77_clauses_with_titles_and_parents_of_the_reference():
    expected = {
        c["number"]: (c["title"], c["parent"]) for c in reference("clauses_2018.json")["clauses"]
    }
    loaded = {
        c.number: (c.title, c.parent.number if c.parent else None)
        for c in Clause.objects.filter(standard__code=PRIMARY).select_related("parent")
    }
    assert len(loaded) == 77
    assert loaded == expected


def test_the_tree_is_in_clause_order_with_depths():
    numbers = list(
        Clause.objects.filter(standard__code=PRIMARY)
        .order_by("order")
        .values_list("number", "depth")
    )
    assert numbers[0] == ("4", 1)
    assert numbers[-1] == ("10.2", 2)
    assert ("8.5.1.1", 4) in numbers
    order = [n for n, _ in numbers]
    assert order.index("8.7.3.3") < order.index("9") < order.index("10")
    assert order.index("8.2.6") < order.index("8.3")


def test_the_2011_structure_flags_the_13_processes():
    processes = Clause.objects.filter(standard__code=EDITION_2011, is_process=True)
    assert processes.count() == 13
    assert set(processes.values_list("number", flat=True)) == {
        p["number"] for p in reference("processes_2011.json")["thirteen_processes"]["processes"]
    }


def test_2011_to_2018_correlations_follow_the_mapping():
    expected = {
        (target, entry["iso20000_1_2011"])
        for entry in reference("processes_2011.json")["mapping_2011_to_2018"]["entries"]
        for target in entry["iso20000_1_2018"]
    }
    loaded = set(
        ClauseCorrelation.objects.filter(kind="predecessor").values_list(
            "clause__number", "other__number"
        )
    )
    assert loaded == expected
    assert not ClauseCorrelation.objects.filter(kind="predecessor", inferred=False).exists()


def test_incident_management_replaces_2011_clause_8_1_and_asset_management_is_new():
    incident = Clause.objects.get(standard__code=PRIMARY, number="8.6.1")
    assert "8.1" in incident.correlations.filter(kind="predecessor").values_list(
        "other__number", flat=True
    )
    assert Clause.objects.get(standard__code=PRIMARY, number="8.2.5").new_in_edition
    assert Clause.objects.get(standard__code=PRIMARY, number="7.6").new_in_edition
    assert not incident.new_in_edition


def test_harmonized_correspondence_to_27001_and_9001():
    clause = Clause.objects.get(standard__code=PRIMARY, number="7.5")
    others = {
        (c.other.standard.code, c.other.number)
        for c in clause.correlations.select_related("other__standard")
    }
    assert ("iso27001-2013", "7.5") in others
    assert ("iso9001-2015", "7.5") in others
    knowledge = Clause.objects.get(standard__code=PRIMARY, number="7.6")
    assert ("iso9001-2015", "7.1.6") in {
        (c.other.standard.code, c.other.number) for c in knowledge.correlations.all()
    }
    rows = reference("clauses_2018.json")["annex_sl_crosswalk"]["rows"]
    expected = sum(
        1 for r in rows for col in ("iso27001_2013", "iso9001_2015", "iso22301_2019") if r[col]
    )
    assert ClauseCorrelation.objects.filter(kind="harmonized").count() == expected


def test_every_2018_clause_has_our_guidance_in_both_languages():
    missing = Clause.objects.filter(standard__code=PRIMARY).filter(guidance="")
    assert not missing.exists()
    assert not Clause.objects.filter(standard__code=PRIMARY, guidance_zh_hans="").exists()


def test_loading_twice_adds_nothing():
    counts = (Standard.objects.count(), Clause.objects.count(), ClauseCorrelation.objects.count())
    load_reference_data()
    call_command("load_reference", verbosity=0)
    assert counts == (
        Standard.objects.count(),
        Clause.objects.count(),
        ClauseCorrelation.objects.count(),
    )


@pytest.mark.parametrize(
    "project_name,shared_name",
    [
        ("clauses_2018.json", "iso20000-1-2018-clauses.json"),
        ("processes_2011.json", "iso20000-1-2011-processes.json"),
    ],
)
def test_the_project_copy_matches_shared_reference(project_name, shared_name):
    """Drift check against ../shared/reference (beside the checkout in CI: required there)."""
    from .conftest import need_service

    need_service(SHARED_REF.exists(), "../shared/reference beside the checkout")
    assert reference(project_name) == json.loads((SHARED_REF / shared_name).read_text("utf-8"))
