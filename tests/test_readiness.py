"""The readiness rule: unit tests and properties."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itsms.assessment import readiness
from itsms.standards.reference import read

LEAVES = sorted(
    {c["number"] for c in read("clauses_2018.json")["clauses"]}
    - {c["parent"] for c in read("clauses_2018.json")["clauses"] if c["parent"]}
)
STATUSES = list(readiness.WEIGHTS)


def test_there_are_57_requirement_clauses():
    assert len(LEAVES) == 57


def test_nothing_assessed_is_zero_and_everything_implemented_is_100():
    assert readiness.compute(LEAVES, {}).overall_percent == 0
    done = readiness.compute(LEAVES, {n: "implemented" for n in LEAVES})
    assert done.overall_percent == 100
    assert all(p == 100 for _, p in done.chapters())


def test_status_weights_as_written_on_the_dashboard():
    one = ["8.6.1"]
    assert readiness.compute(one, {"8.6.1": "planned"}).overall == Decimal("0.25")
    assert readiness.compute(one, {"8.6.1": "partial"}).overall == Decimal("0.5")


def test_a_heading_is_the_average_of_the_requirement_clauses_under_it():
    statuses = {"8.6.1": "implemented", "8.6.2": "partial", "8.6.3": "not_started"}
    score = readiness.compute(LEAVES, statuses)
    assert score.heading_percent("8.6") == 50
    # Chapter 8 averages all its requirement clauses (8.1, 8.2.1 … 8.7.3.3), not its headings.
    chapter_8 = [n for n in LEAVES if n.startswith("8.")]
    assert score.heading_percent("8") == round(150 / len(chapter_8))
    assert score.overall == Decimal("1.5") / 57


def test_chapters_come_in_order_4_to_10():
    assert [n for n, _ in readiness.compute(LEAVES, {}).chapters()] == [
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
    ]


statuses_strategy = st.dictionaries(st.sampled_from(LEAVES), st.sampled_from(STATUSES))


@given(statuses_strategy)
def test_readiness_stays_between_0_and_100(statuses):
    score = readiness.compute(LEAVES, statuses)
    assert 0 <= score.overall_percent <= 100
    assert all(0 <= p <= 100 for _, p in score.chapters())


@given(statuses_strategy, st.sampled_from(LEAVES))
def test_readiness_never_rises_when_a_clause_drops_to_partially_implemented(statuses, clause):
    before = readiness.compute(LEAVES, {**statuses, clause: "implemented"})
    after = readiness.compute(LEAVES, {**statuses, clause: "partial"})
    assert after.overall <= before.overall
    for heading, value in after.headings.items():
        assert value <= before.headings[heading]
