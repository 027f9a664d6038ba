"""Certification rules of audits, each with its source, in one place.

Sources: ../shared/reference/certification-rules.md (copied facts, cited here):
- RESPONSE_WINDOW_DAYS — the root-cause analysis and corrective-action plan of a
  nonconformity are due six weeks (42 days) after the audit's closing meeting (the product
  brief; certification bodies vary from 7 to 90 days, so it is a setting per body).
- Certification can be recommended when the CB has reviewed, accepted and VERIFIED the
  corrections and corrective actions of every MAJOR nonconformity, and reviewed and ACCEPTED
  the planned corrections of every MINOR one (ISO/IEC 17021-1:2011 §9.1.15; 17021-1:2015
  §9.5.2, number recalled).
- STAGE2_MAJOR_VERIFY_MONTHS — if the implementation of corrections for a major
  nonconformity cannot be verified within 6 months after the last day of stage 2, stage 2
  must be repeated before certification is recommended (ISO/IEC 17021-1:2015 §9.5.3.2,
  number recalled; IMQ certification rules).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SOURCE_RESPONSE = _(
    "Product rule: six weeks after the closing meeting (a setting per certification body)."
)
SOURCE_DECISION = _("ISO/IEC 17021-1: majors verified, minors' plans accepted before the decision.")
SOURCE_SIX_MONTHS = _(
    "ISO/IEC 17021-1 §9.5.3.2: majors verified within 6 months of stage 2, or repeat it."
)

STAGE2_MAJOR_VERIFY_MONTHS = 6


def default_response_window_days() -> int:
    return getattr(settings, "NC_RESPONSE_WINDOW_DAYS", 42)


def response_deadline(closing_meeting: date, window_days: int | None = None) -> date:
    """The date by which a nonconformity's root cause and plan are due.

    ``closing_meeting`` is the date of the closing meeting in the organisation's time zone
    (see ``local_date``); the deadline is that date plus the window, as a calendar date.
    """
    days = default_response_window_days() if window_days is None else window_days
    return closing_meeting + timedelta(days=days)


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date of an aware ``moment`` in ``time_zone`` (the organisation's)."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st becomes the month's last day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stage2_verification_limit(stage2_last_day: date) -> date:
    return add_months(stage2_last_day, STAGE2_MAJOR_VERIFY_MONTHS)


@dataclass
class Recommendation:
    recommended: bool
    reasons: list[str] = field(default_factory=list)
    repeat_stage2: bool = False


@dataclass
class NcState:
    """What the recommendation rule needs to know of one nonconformity."""

    reference: str
    grade: str  # "major" | "minor"
    deadline: date | None
    plan_accepted_on: date | None
    verified_on: date | None


def recommendation(
    nonconformities: list[NcState],
    *,
    closing_meeting_held: bool,
    today: date,
    stage2_last_day: date | None = None,
) -> Recommendation:
    """Can certification be recommended? With the reasons, in plain words."""
    reasons: list[str] = []
    ok = True
    if not closing_meeting_held:
        return Recommendation(False, [str(_("The closing meeting has not been held yet."))])
    repeat = False
    for nc in nonconformities:
        if nc.grade == "major":
            if nc.verified_on is None:
                ok = False
                reasons.append(
                    str(
                        _("Major nonconformity %(ref)s is not verified yet.")
                        % {"ref": nc.reference}
                    )
                )
                if stage2_last_day and today > stage2_verification_limit(stage2_last_day):
                    repeat = True
            elif stage2_last_day and nc.verified_on > stage2_verification_limit(stage2_last_day):
                repeat = True
        elif nc.grade == "minor":
            if nc.plan_accepted_on is None:
                ok = False
                late = nc.deadline is not None and today > nc.deadline
                reasons.append(
                    str(
                        (
                            _("Minor nonconformity %(ref)s: no accepted plan, deadline passed.")
                            if late
                            else _("Minor nonconformity %(ref)s: the plan is not accepted yet.")
                        )
                        % {"ref": nc.reference}
                    )
                )
            elif nc.deadline is not None and nc.plan_accepted_on > nc.deadline:
                ok = False
                reasons.append(
                    str(
                        _("Minor nonconformity %(ref)s: the plan was accepted after its deadline.")
                        % {"ref": nc.reference}
                    )
                )
    if repeat:
        ok = False
        reasons.append(
            str(
                _(
                    "A major nonconformity was not verified within six months of the last day "
                    "of stage 2: stage 2 must be repeated."
                )
            )
        )
    if ok:
        majors = sum(1 for nc in nonconformities if nc.grade == "major")
        minors = sum(1 for nc in nonconformities if nc.grade == "minor")
        reasons.append(
            str(
                _(
                    "No major nonconformity is open (%(majors)s verified) and every minor one "
                    "(%(minors)s) has an accepted plan within its deadline."
                )
                % {"majors": majors, "minors": minors}
            )
        )
    return Recommendation(ok, reasons, repeat)
