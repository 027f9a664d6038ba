"""The clause trees loaded by ``migrate`` equal the shipped reference data."""

import json
import re
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
        c.number: (c.title_en, c.parent.number if c.parent else None)
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
    missing = Clause.objects.filter(standard__code=PRIMARY).filter(guidance_en="")
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


def curated_new_in_2018():
    mapping = reference("processes_2011.json")["mapping_2011_to_2018"]
    return {e["iso20000_1_2018"] for e in mapping["new_in_2018_without_2011_predecessor"]}


def test_the_new_in_2018_flags_equal_the_curated_list():
    flagged = set(
        Clause.objects.filter(standard__code=PRIMARY, new_in_edition=True).values_list(
            "number", flat=True
        )
    )
    assert flagged == curated_new_in_2018()
    # Clauses that existed in 2011 under another heading are not new ...
    assert not flagged & {"6.2.1", "6.2.2", "8.3.1", "8.6.1"}
    # ... and the new ones are, even where a 2011 clause touched on them (6.5 → 8.4.2).
    assert {"8.4.2", "6.1", "8.3.4.2", "8.2.5", "7.6"} <= flagged


def test_reloading_corrects_flags_of_a_database_loaded_before():
    """What the data migration does to a database loaded with the old, inferred flags."""
    Clause.objects.filter(standard__code=PRIMARY, number__in=["6.2.1", "8.3.1"]).update(
        new_in_edition=True
    )
    Clause.objects.filter(standard__code=PRIMARY, number="8.4.2").update(new_in_edition=False)
    load_reference_data()
    flagged = Clause.objects.filter(standard__code=PRIMARY, new_in_edition=True)
    assert set(flagged.values_list("number", flat=True)) == curated_new_in_2018()


def test_every_clause_of_every_standard_has_a_chinese_heading():
    zh = reference("titles_zh_hans.json")
    for clause in Clause.objects.select_related("standard"):
        expected = zh[clause.standard.code][clause.number]
        assert clause.title_zh_hans == expected
        assert bool(clause.title_zh_hans) == bool(clause.title_en), clause
    assert Clause.objects.get(standard__code=PRIMARY, number="8.6.1").title_zh_hans == "事件管理"
    assert Clause.objects.get(standard__code=EDITION_2011, number="8.1").title_zh_hans == (
        "事件和服务请求管理"
    )


def test_the_chinese_2018_headings_are_those_of_zh_terms():
    """Drift check against ../shared/reference/zh-terms.md (the source of the rendering)."""
    import re

    from .conftest import need_service

    terms = SHARED_REF / "zh-terms.md"
    need_service(terms.exists(), "../shared/reference beside the checkout")
    table = terms.read_text("utf-8").split("## Clause headings of ISO/IEC 20000-1:2018")[1]
    rows = dict(re.findall(r"^\| ([\d.]+) \| [^|]+ \| ([^|]+?) \|$", table, re.M))
    assert len(rows) == 77
    assert reference("titles_zh_hans.json")[PRIMARY] == rows


def test_clause_headings_follow_the_active_language():
    from django.utils import translation

    clause = Clause.objects.get(standard__code=PRIMARY, number="8.6.1")
    with translation.override("zh-hans"):
        assert clause.title == "事件管理"
        assert str(clause) == "8.6.1 事件管理"
        assert clause.title_bilingual == "事件管理 · Incident management"
        assert clause.guidance == clause.guidance_zh_hans
    with translation.override("en"):
        assert clause.title == "Incident management"
        assert clause.title_bilingual == "Incident management"
        assert clause.guidance == clause.guidance_en


def test_research_notes_are_kept_apart_from_what_users_read():
    heading = Clause.objects.get(standard__code=PRIMARY, number="6")
    assert "S11" in heading.research_note
    assert heading.note_en == "" and heading.note_zh_hans == ""
    for clause in Clause.objects.all():
        for text in (clause.note_en, clause.note_zh_hans, clause.guidance_en):
            assert not re.search(r"\b[ST]\d+\b|\bid \d{6,}", text), (clause, text)
    for corr in ClauseCorrelation.objects.all():
        for text in (corr.note_en, corr.note_zh_hans):
            assert "->" not in text and "WARNING" not in text, (corr, text)


def test_harmonized_relations_are_plain_choices_per_standard():
    codes = set(ClauseCorrelation.Relation.values)
    harmonized = ClauseCorrelation.objects.filter(kind="harmonized")
    assert set(harmonized.values_list("relation", flat=True)) <= codes
    nc = {
        c.other.standard.code: c.relation
        for c in harmonized.filter(clause__number="10.1").select_related("other__standard")
    }
    assert nc == {
        "iso27001-2013": "same",
        "iso9001-2015": "different-number",
        "iso22301-2019": "same",
    }


def test_every_change_of_2018_names_clauses_of_both_editions_in_both_languages():
    from itsms.models import EditionChange

    changes = EditionChange.objects.prefetch_related("clauses__standard")
    assert changes.count() == len(reference("changes_2018.json")["changes"])
    for change in changes:
        assert change.title_zh_hans and change.summary_zh_hans, change
        assert any(c.standard.code == PRIMARY for c in change.clauses.all()), change
    demand = EditionChange.objects.get(key="demand-management")
    assert {c.number for c in demand.clauses.all() if c.standard.code == PRIMARY} == {"8.4.2"}
