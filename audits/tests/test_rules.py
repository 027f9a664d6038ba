"""The certification rules of audits, on tables of cases."""

from datetime import UTC, date, datetime

import pytest

from audits import rules
from audits.rules import NcState


@pytest.mark.parametrize(
    "closing,expected",
    [
        (date(2026, 11, 25), date(2027, 1, 6)),  # across the year end
        (date(2024, 1, 19), date(2024, 3, 1)),  # leap year: through 29 February
        (date(2023, 1, 19), date(2023, 3, 2)),  # common year
        (date(2026, 1, 31), date(2026, 3, 14)),  # month end
        (date(2028, 2, 29), date(2028, 4, 11)),  # from a leap day
    ],
)
def test_minor_nonconformity_is_due_six_weeks_after_the_closing_meeting(closing, expected):
    assert rules.response_deadline(closing, 42) == expected


def test_the_window_is_a_setting_per_certification_body():
    assert rules.response_deadline(date(2026, 3, 1), 90) == date(2026, 5, 30)


@pytest.mark.parametrize(
    "moment,tz,local",
    [
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "Asia/Shanghai", date(2026, 4, 1)),
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "America/New_York", date(2026, 3, 31)),
        (datetime(2026, 3, 31, 15, 59, tzinfo=UTC), "Asia/Shanghai", date(2026, 3, 31)),
        (datetime(2026, 3, 31, 16, 0, tzinfo=UTC), "Asia/Shanghai", date(2026, 4, 1)),
    ],
)
def test_the_closing_meeting_date_is_taken_in_the_organisations_time_zone(moment, tz, local):
    assert rules.local_date(moment, tz) == local


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 3, 15), date(2026, 9, 15)),
        (date(2026, 12, 31), date(2027, 6, 30)),
    ],
)
def test_six_months_after_stage_2(day, expected):
    assert rules.stage2_verification_limit(day) == expected


TODAY = date(2026, 12, 1)
DEADLINE = date(2026, 12, 20)


def nc(grade, accepted=None, verified=None, deadline=DEADLINE, ref="F1"):
    return NcState(ref, grade, deadline, accepted, verified)


@pytest.mark.parametrize(
    "ncs,expected",
    [
        ([], True),
        ([nc("minor", accepted=date(2026, 11, 30))], True),
        ([nc("minor")], False),  # plan not accepted yet
        ([nc("minor", accepted=date(2026, 12, 21))], False),  # accepted after the deadline
        ([nc("major", accepted=date(2026, 11, 20))], False),  # majors need verification
        ([nc("major", verified=date(2026, 11, 28))], True),
        ([nc("major", verified=date(2026, 11, 28)), nc("minor", ref="F2")], False),
    ],
)
def test_certification_is_recommended_only_when_majors_are_verified_and_minors_accepted(
    ncs, expected
):
    result = rules.recommendation(ncs, closing_meeting_held=True, today=TODAY)
    assert result.recommended is expected
    assert result.reasons


def test_nothing_is_recommended_before_the_closing_meeting():
    result = rules.recommendation([], closing_meeting_held=False, today=TODAY)
    assert not result.recommended and "closing meeting" in result.reasons[0]


def test_a_major_not_verified_within_six_months_of_stage_2_means_repeating_it():
    last_day = date(2026, 3, 4)
    late = rules.recommendation(
        [nc("major")], closing_meeting_held=True, today=date(2026, 9, 5), stage2_last_day=last_day
    )
    assert late.repeat_stage2 and not late.recommended
    in_time = rules.recommendation(
        [nc("major")], closing_meeting_held=True, today=date(2026, 9, 4), stage2_last_day=last_day
    )
    assert not in_time.repeat_stage2
    verified_late = rules.recommendation(
        [nc("major", verified=date(2026, 9, 10))],
        closing_meeting_held=True,
        today=date(2026, 9, 20),
        stage2_last_day=last_day,
    )
    assert verified_late.repeat_stage2 and not verified_late.recommended
