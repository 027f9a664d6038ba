"""The certificate cycle on tables of cases."""

from datetime import date

import pytest

from certification import rules


@pytest.mark.parametrize(
    "decision,expires",
    [
        (date(2026, 3, 15), date(2029, 3, 14)),
        (date(2024, 2, 29), date(2027, 2, 27)),  # anniversary of 29 Feb is 28 Feb
        (date(2025, 3, 1), date(2028, 2, 29)),  # the day before 1 March in a leap year
        (date(2026, 1, 1), date(2028, 12, 31)),  # year end
        (date(2026, 12, 31), date(2029, 12, 30)),
    ],
)
def test_expires_the_day_before_the_third_anniversary(decision, expires):
    assert rules.expires_on(decision) == expires


@pytest.mark.parametrize(
    "decision,due",
    [
        (date(2026, 3, 15), [date(2027, 3, 15), date(2028, 3, 15)]),
        (date(2024, 2, 29), [date(2025, 2, 28), date(2026, 2, 28)]),
        (date(2027, 2, 28), [date(2028, 2, 28), date(2029, 2, 28)]),
    ],
)
def test_surveillance_within_12_and_24_months(decision, due):
    assert rules.surveillance_due_dates(decision) == due


@pytest.mark.parametrize(
    "previous,decision,expires,kind",
    [
        (date(2029, 3, 14), date(2029, 2, 1), date(2032, 3, 14), "recertification"),
        (date(2029, 3, 14), date(2029, 3, 14), date(2032, 3, 14), "recertification"),
        (date(2029, 3, 14), date(2029, 9, 14), date(2032, 3, 14), "restoration"),
        (date(2029, 8, 31), date(2030, 2, 28), date(2032, 8, 31), "restoration"),
        (date(2029, 3, 14), date(2029, 9, 15), date(2032, 9, 14), "initial"),
        (date(2027, 2, 28), date(2027, 1, 10), date(2030, 2, 28), "recertification"),
    ],
)
def test_recertification_before_within_and_after_the_restoration_window(
    previous, decision, expires, kind
):
    result = rules.recertified(previous, decision)
    assert (result.expires_on, result.kind) == (expires, kind)
    assert result.reason


@pytest.mark.parametrize(
    "today,passed,cutoff,valid",
    [
        (date(2021, 9, 15), False, None, True),  # the cutoff day itself
        (date(2021, 9, 16), False, None, False),
        (date(2021, 9, 16), True, None, True),  # transition audit passed
        (date(2022, 3, 1), False, date(2022, 3, 30), True),  # a body's COVID-extended cutoff
        (date(2022, 3, 31), False, date(2022, 3, 30), False),
    ],
)
def test_2011_certificates_and_the_transition_cutoff(today, passed, cutoff, valid):
    result = rules.validity(
        edition="2011",
        status="active",
        expires=date(2023, 1, 1),
        today=today,
        transition_passed=passed,
        transition_cutoff=cutoff,
    )
    assert result.valid is valid
    if not valid:
        assert "2011" in result.reason and "transition" in result.reason


def test_a_2018_certificate_expires_and_suspension_wins():
    assert not rules.validity(
        edition="2018", status="active", expires=date(2026, 1, 1), today=date(2026, 1, 2)
    ).valid
    assert rules.validity(
        edition="2018", status="active", expires=date(2026, 1, 1), today=date(2026, 1, 1)
    ).valid
    assert not rules.validity(
        edition="2018", status="suspended", expires=date(2030, 1, 1), today=date(2026, 1, 1)
    ).valid
