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


def nc(grade, accepted=None, verified=None, deadline=DEADLINE, ref="F1", submitted=None):
    if accepted is not None and submitted is None:
        submitted = min(accepted, deadline or accepted)  # an accepted plan was submitted
    return NcState(ref, grade, deadline, accepted, verified, submitted)


@pytest.mark.parametrize(
    "ncs,expected",
    [
        ([], True),
        ([nc("minor", accepted=date(2026, 11, 30))], True),
        ([nc("minor")], False),  # no plan yet
        # A plan submitted in time and accepted after the deadline: the six weeks bind the
        # submission, the acceptance only has to come before the decision.
        ([nc("minor", submitted=date(2026, 12, 18), accepted=date(2027, 1, 15))], True),
        ([nc("minor", submitted=DEADLINE, accepted=date(2026, 12, 21))], True),  # on the day
        # Submitted after the deadline: late, whenever it is accepted.
        ([nc("minor", submitted=date(2026, 12, 21), accepted=date(2026, 12, 22))], False),
        ([nc("minor", submitted=date(2026, 12, 10))], False),  # in time, not accepted yet
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


@pytest.mark.parametrize(
    "state,today,reason",
    [
        (nc("minor", submitted=date(2026, 12, 10)), TODAY, "submitted in time and awaits"),
        (nc("minor", submitted=date(2026, 12, 10)), date(2027, 1, 9), "submitted in time"),
        (nc("minor", submitted=date(2026, 12, 21)), date(2027, 1, 9), "after its deadline"),
        (nc("minor"), date(2026, 12, 21), "no plan submitted, deadline passed"),
        (nc("minor"), DEADLINE, "not accepted yet"),  # the deadline day itself is in time
    ],
)
def test_the_reason_says_whether_the_plan_was_submitted_in_time(state, today, reason):
    result = rules.recommendation([state], closing_meeting_held=True, today=today)
    assert not result.recommended and reason in result.reasons[0]


@pytest.mark.parametrize(
    "kind,leads_to_decision,expected",
    [
        ("stage2", False, rules.RECOMMENDATION),
        ("recertification", False, rules.RECOMMENDATION),
        ("transition", False, rules.RECOMMENDATION),
        ("special", True, rules.RECOMMENDATION),
        ("follow_up", True, rules.RECOMMENDATION),
        ("special", False, rules.NO_DECISION),
        ("follow_up", False, rules.NO_DECISION),
        ("stage1", False, rules.STAGE2_READINESS),
        ("stage1", True, rules.STAGE2_READINESS),  # the flag is for special audits only
        ("surveillance", False, rules.MAINTENANCE),
        ("internal", False, rules.NO_DECISION),
        ("internal", True, rules.NO_DECISION),
    ],
)
def test_only_audits_leading_to_a_decision_carry_a_recommendation(
    kind, leads_to_decision, expected
):
    assert rules.outcome_kind(kind, leads_to_decision) == expected


def outcome(kind, ncs, held=True, today=TODAY):
    return rules.outcome(kind, ncs, closing_meeting_held=held, today=today)


@pytest.mark.parametrize(
    "ncs,held,positive,headline,concerns",
    [
        ([], False, False, "not concluded", []),
        ([], True, True, "Ready for stage 2", []),
        ([nc("concern", deadline=None, ref="A1-F1")], True, True, "Ready for stage 2", ["A1-F1"]),
        ([nc("major", ref="A1-F2")], True, False, "Not ready", ["A1-F2"]),
        ([nc("major", ref="A1-F2", verified=date(2026, 11, 30))], True, True, "Ready", ["A1-F2"]),
    ],
)
def test_a_stage_1_audit_says_whether_the_organisation_is_ready_for_stage_2(
    ncs, held, positive, headline, concerns
):
    result = outcome(rules.STAGE2_READINESS, ncs, held)
    assert result.kind == rules.STAGE2_READINESS and not result.recommended
    assert result.positive is positive and headline in result.headline
    assert result.areas_of_concern == concerns
    assert "recommend" not in " ".join([result.headline, *result.reasons]).lower()


def test_a_stage_1_with_areas_of_concern_says_to_resolve_them_before_stage_2():
    result = outcome(rules.STAGE2_READINESS, [nc("concern", deadline=None), nc("minor")])
    assert result.positive and "2 areas of concern to resolve before stage 2" in result.reasons[0]


@pytest.mark.parametrize(
    "ncs,positive,text",
    [
        ([], True, "Certification is maintained"),
        ([nc("minor", accepted=date(2026, 12, 1))], True, "Certification is maintained"),
        ([nc("minor")], False, "not confirmed yet"),
        ([nc("major")], False, "not confirmed yet"),
    ],
)
def test_a_surveillance_audit_says_whether_certification_is_maintained(ncs, positive, text):
    result = outcome(rules.MAINTENANCE, ncs)
    assert result.positive is positive and text in result.headline and not result.recommended
    assert "recommend" not in " ".join([result.headline, *result.reasons]).lower()
    if ncs and ncs[0].grade == "major":
        assert any("suspension" in r for r in result.reasons)


def test_an_internal_audit_concludes_no_certification_decision():
    result = outcome(rules.NO_DECISION, [nc("major")])
    assert result.positive is None and not result.recommended
    assert "No certification decision" in result.headline


def test_a_decision_audit_carries_the_recommendation():
    result = outcome(rules.RECOMMENDATION, [nc("minor", accepted=date(2026, 12, 1))])
    assert result.recommended and result.headline == "Certification can be recommended"
    late = outcome(rules.RECOMMENDATION, [nc("minor", submitted=date(2026, 12, 21))])
    assert not late.recommended and "cannot be recommended" in late.headline


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


CLOSED = date(2026, 11, 8)  # + 42 days = DEADLINE (2026-12-20)


def action(state, submitted_on=None, grade="minor"):
    from audits.models import Audit, CorrectiveAction, Finding

    finding = Finding(audit=Audit(closing_meeting_on=CLOSED), grade=grade, number=1)
    return CorrectiveAction(finding=finding, state=state, submitted_on=submitted_on)


@pytest.mark.parametrize(
    "state,submitted_on,today,overdue",
    [
        ("draft", None, DEADLINE, False),  # due today: not late yet
        ("draft", None, date(2026, 12, 21), True),
        ("returned", date(2026, 12, 1), date(2026, 12, 21), True),  # the plan is owed again
        ("submitted", date(2026, 12, 20), date(2027, 1, 30), False),  # in time, awaiting review
        ("submitted", date(2026, 12, 1), date(2026, 12, 21), False),
        ("submitted", date(2026, 12, 21), date(2026, 12, 21), True),  # a day late
        # Submitted in time, accepted late: never overdue.
        ("accepted", date(2026, 12, 19), date(2027, 2, 1), False),
        ("implemented", date(2026, 12, 19), date(2027, 2, 1), False),
        ("verified", None, date(2027, 2, 1), False),
    ],
)
def test_a_plan_submitted_in_time_is_not_overdue(state, submitted_on, today, overdue):
    assert rules.response_deadline(CLOSED) == DEADLINE
    assert action(state, submitted_on).is_overdue(today) is overdue


def test_nothing_is_overdue_before_the_closing_meeting():
    from audits.models import Audit, CorrectiveAction, Finding

    open_audit = CorrectiveAction(finding=Finding(audit=Audit(), grade="minor"), state="draft")
    assert open_audit.is_overdue(date(2030, 1, 1)) is False


def test_choice_labels_follow_the_active_language():
    from django.utils import translation

    from audits.models import Audit, Finding

    finding = Finding(grade="minor")
    audit = Audit(kind="stage1", status="closing_held")
    for language, grade, kind in (
        ("en", "Minor nonconformity", "Stage 1 audit"),
        ("zh-hans", "轻微不符合项", "第一阶段审核"),
        ("en", "Minor nonconformity", "Stage 1 audit"),  # the table is per language
    ):
        with translation.override(language):
            assert (finding.get_grade_display(), audit.get_kind_display()) == (grade, kind)
    assert action("accepted").get_state_display() == "Accepted"


def test_resolved_areas_of_concern_are_no_longer_to_resolve():
    resolved = NcState("F1", "concern", None, None, None, resolved_on=date(2026, 11, 20))
    open_ = NcState("F2", "concern", None, None, None)
    result = outcome(rules.STAGE2_READINESS, [resolved, open_])
    assert result.positive and "1 area of concern to resolve before stage 2" in result.reasons[0]
    result = outcome(rules.STAGE2_READINESS, [resolved])
    assert result.reasons == ["Its 1 area of concern is resolved."]
    verified_minor = nc("minor", accepted=date(2026, 11, 1), verified=date(2026, 11, 25))
    result = outcome(rules.STAGE2_READINESS, [resolved, verified_minor])
    assert result.reasons == ["All 2 areas of concern are resolved."]
