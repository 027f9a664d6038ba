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


@pytest.mark.parametrize(
    "status,superseded,today,state,words",
    [
        ("active", None, date(2026, 1, 1), "valid", "Valid until 2029-01-01"),
        ("expired", None, date(2026, 1, 1), "expired", "has expired"),  # status "expired" counts
        ("suspended", None, date(2026, 1, 1), "suspended", "is suspended"),
        ("withdrawn", None, date(2026, 1, 1), "withdrawn", "was withdrawn"),
        ("active", "HX-2", date(2026, 1, 1), "superseded", "Replaced by certificate HX-2"),
        ("active", None, date(2029, 1, 2), "expired", "Expired on 2029-01-01"),
    ],
)
def test_validity_names_the_state_in_words_never_the_status_code(
    status, superseded, today, state, words
):
    result = rules.validity(
        edition="2018",
        status=status,
        expires=date(2029, 1, 1),
        today=today,
        superseded_by=superseded,
    )
    assert (result.valid, result.state) == (state == "valid", state)
    assert words in result.reason
    assert result.label == str(rules.STATE_LABELS[state])


def test_status_labels_and_reasons_are_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        result = rules.validity(
            edition="2018", status="suspended", expires=date(2029, 1, 1), today=date(2026, 1, 1)
        )
        # a sentence in Chinese, not "证书状态为suspended。"
        assert result.reason == "证书已被暂停。" and result.label == "已暂停"
        invalid = rules.validity(
            edition="2011", status="active", expires=date(2022, 1, 1), today=date(2021, 10, 1)
        )
        assert invalid.label == "无效"


def test_a_2011_certificate_past_the_cutoff_is_invalid_not_active():
    result = rules.validity(
        edition="2011", status="active", expires=date(2022, 1, 9), today=date(2021, 10, 1)
    )
    assert (result.valid, result.state, result.label) == (False, "invalid", "Invalid")


def test_more_than_six_months_after_expiry_needs_at_least_a_stage_2_audit():
    result = rules.recertified(date(2029, 3, 14), date(2029, 9, 15))
    assert result.kind == "initial"
    assert "at least a stage 2 audit" in result.reason
    assert "stage 1 audit only where the certification body decides" in result.reason
    assert "stage 1 and" not in result.reason


# --- surveillance at least once each calendar year --------------------------------------


def plan(decision, held=(), lead_days=90):
    expiry = rules.expires_on(decision)
    return rules.surveillance_plan(
        decision=decision,
        expiry=expiry,
        recertification_due=rules.recertification_due(expiry, lead_days),
        held=list(held),
    )


@pytest.mark.parametrize(
    "decision,held,due,number,years",
    [
        # nothing held yet: the month limits come first
        (date(2025, 2, 10), [], date(2026, 2, 10), 1, [2026]),
        # the example: first surveillance held 2025-12-05, so 2026 still needs one —
        # the second is due at the end of 2026, before its 24-month limit (2027-02-10)
        (date(2025, 2, 10), [date(2025, 12, 5)], date(2026, 12, 31), 2, [2026]),
        # held in 2026 too: the 24-month limit is next
        (date(2025, 2, 10), [date(2025, 12, 5), date(2026, 11, 3)], None, None, [2026]),
        (date(2025, 2, 10), [date(2026, 1, 20)], date(2027, 2, 10), 2, [2026]),
        # a late-year decision: 2026 and 2027 each need one (recertification year 2028)
        (date(2025, 11, 20), [], date(2026, 11, 20), 1, [2026, 2027]),
        (date(2025, 11, 20), [date(2026, 1, 15)], date(2027, 11, 20), 2, [2026, 2027]),
        # surveillance before the decision does not count
        (date(2025, 11, 20), [date(2025, 6, 1)], date(2026, 11, 20), 1, [2026, 2027]),
    ],
)
def test_the_next_surveillance_is_due_on_the_earlier_of_both_limits(
    decision, held, due, number, years
):
    result = plan(decision, held)
    assert result.required_years == years
    if due is None:
        assert result.next is None
    else:
        assert (result.next.due, result.next.number) == (due, number)


def test_the_calendar_year_without_surveillance_is_flagged_in_the_cycle():
    """Decision 2025-02-10, first held 2025-12-05, second planned for January 2027."""
    decision = date(2025, 2, 10)
    audits = [
        rules.CycleAudit(1, "Surveillance 1", date(2025, 12, 3), date(2025, 12, 5)),
        rules.CycleAudit(2, "Surveillance 2", date(2027, 1, 18), None),
    ]

    def cycle(today):
        return rules.certificate_cycle(
            decision=decision,
            expiry=rules.expires_on(decision),
            lead_days=90,
            surveillance=audits,
            today=today,
        )

    during = cycle(date(2026, 6, 1))
    slot = during.slots[1]
    assert (slot.number, slot.due, slot.state) == (2, date(2026, 12, 31), "planned_late")
    assert "calendar year 2026" in slot.reason
    assert [(y.year, y.state) for y in during.years] == [(2026, "missing")]
    assert any("after its due date 2026-12-31" in w for w in during.warnings)
    assert not during.at_risk_of_suspension

    after = cycle(date(2027, 1, 5))
    assert [(y.year, y.state) for y in after.years] == [(2026, "missed")]
    assert after.at_risk_of_suspension
    assert any("No surveillance audit was held in 2026" in w for w in after.warnings)
    assert any("risk of suspension" in w for w in after.warnings)


def test_an_overdue_surveillance_puts_the_certificate_at_risk():
    decision = date(2025, 2, 10)
    cycle = rules.certificate_cycle(
        decision=decision,
        expiry=rules.expires_on(decision),
        lead_days=None,
        surveillance=[],
        today=date(2026, 2, 11),
    )
    assert cycle.slots[0].state == "overdue" and cycle.at_risk_of_suspension


@pytest.mark.parametrize(
    "expiry,lead,due",
    [
        (date(2028, 2, 9), 90, date(2027, 11, 11)),
        (date(2028, 2, 9), 0, date(2028, 2, 9)),
        (date(2028, 2, 9), 42, date(2027, 12, 29)),
        (date(2028, 2, 9), None, date(2027, 11, 11)),  # RECERTIFICATION_LEAD_DAYS = 90
    ],
)
def test_the_recertification_audit_has_its_own_date_before_expiry(expiry, lead, due):
    assert rules.recertification_due(expiry, lead) == due


def test_the_recertification_year_needs_no_surveillance():
    # expiry 2028-02-09, recertification audit by 2027-11-11: 2027 is the recertification year
    assert plan(date(2025, 2, 10)).required_years == [2026]
    # with no lead time the recertification may fall in 2028: 2027 then needs a surveillance
    assert plan(date(2025, 2, 10), lead_days=0).required_years == [2026, 2027]


@pytest.mark.parametrize(
    "status,superseded,expires,today,edition,kind,applies",
    [
        ("active", False, date(2028, 1, 1), date(2026, 1, 1), "2018", "surveillance", True),
        ("suspended", False, date(2028, 1, 1), date(2026, 1, 1), "2018", "surveillance", True),
        ("expired", False, date(2028, 1, 1), date(2026, 1, 1), "2018", "surveillance", False),
        ("withdrawn", False, date(2028, 1, 1), date(2026, 1, 1), "2018", "surveillance", False),
        ("active", True, date(2028, 1, 1), date(2026, 1, 1), "2018", "recertification", False),
        ("active", False, date(2025, 12, 31), date(2026, 1, 1), "2018", "surveillance", False),
        ("active", False, date(2022, 1, 9), date(2021, 10, 1), "2011", "surveillance", False),
        ("active", False, date(2022, 1, 9), date(2021, 10, 1), "2011", "transition", True),
        ("active", False, date(2022, 1, 9), date(2021, 9, 1), "2011", "surveillance", True),
    ],
)
def test_which_certificates_are_reminded(
    status, superseded, expires, today, edition, kind, applies
):
    assert (
        rules.reminders_apply(
            status=status,
            superseded=superseded,
            expires=expires,
            today=today,
            edition=edition,
            kind=kind,
        )
        is applies
    )


@pytest.mark.parametrize(
    "days_before,overdue,expected",
    [
        (91, True, None),
        (90, True, "-90"),
        (31, True, "-90"),
        (30, True, "-30"),
        (0, True, "-7"),
        (-1, True, "overdue"),
        (-1, False, None),
    ],
)
def test_only_the_latest_offset_fires(days_before, overdue, expected):
    from datetime import timedelta

    due = date(2027, 3, 15)
    today = due - timedelta(days=days_before)
    assert rules.reminder_offset([90, 30, 7], due=due, today=today, overdue=overdue) == expected
