"""Certification rules of audits, each with its source, in one place.

Sources: ../shared/reference/certification-rules.md (copied facts, cited here):
- RESPONSE_WINDOW_DAYS — the root-cause analysis and corrective-action plan of a
  nonconformity are due six weeks (42 days) after the audit's closing meeting (the product
  brief; certification bodies vary from 7 to 90 days, so it is a setting per body). The window
  binds the organisation's SUBMISSION of the analysis and plan; the certification body's
  acceptance may come later, as long as it comes before the certification decision
  (17021-1 §9.4.9: the client responds "within a defined time"; §9.5.2: plans accepted before
  the decision).
- Certification can be recommended when the CB has reviewed, accepted and VERIFIED the
  corrections and corrective actions of every MAJOR nonconformity, and reviewed and ACCEPTED
  the planned corrections of every MINOR one (ISO/IEC 17021-1:2011 §9.1.15; 17021-1:2015
  §9.5.2, number recalled).
- Only audits that lead to a certification decision carry a recommendation: stage 2 (the
  initial certification), recertification, transition, and follow-up or special audits the
  body decides on (17021-1 §9.5, §9.6.3, §9.6.4). A stage 1 audit concludes whether the
  organisation is ready for stage 2 and lists the areas of concern that could become
  nonconformities at stage 2 (§9.3.1.2; the interval to stage 2 must let the client resolve
  them, §9.3.1.2.4). A surveillance audit concludes whether certification is maintained
  (§9.6.2). An internal audit leads to no decision (ISO/IEC 20000-1 clause 9.2; its
  nonconformities are handled under clause 10.1).
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
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

SOURCE_RESPONSE = _(
    "Product rule: six weeks after the closing meeting (a setting per certification body)."
)
SOURCE_DECISION = _("ISO/IEC 17021-1: majors verified, minors' plans accepted before the decision.")
SOURCE_SIX_MONTHS = _(
    "ISO/IEC 17021-1 §9.5.3.2: majors verified within 6 months of stage 2, or repeat it."
)
SOURCE_STAGE1 = _(
    "ISO/IEC 17021-1 §9.3.1.2: stage 1 evaluates readiness for stage 2 and reports areas of "
    "concern; the interval must let the organisation resolve them."
)
SOURCE_SURVEILLANCE = _(
    "ISO/IEC 17021-1 §9.6.2: surveillance decides whether certification is maintained."
)

#: What an audit concludes, by kind (see the module docstring for the sources).
RECOMMENDATION = "recommendation"
STAGE2_READINESS = "stage2_readiness"
MAINTENANCE = "maintenance"
NO_DECISION = "none"

DECISION_KINDS = frozenset({"stage2", "recertification", "transition"})
SPECIAL_KINDS = frozenset({"follow_up", "special"})

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


def outcome_kind(kind: str, leads_to_decision: bool = False) -> str:
    """What an audit of this kind concludes (one of the four constants above)."""
    if kind in DECISION_KINDS or (kind in SPECIAL_KINDS and leads_to_decision):
        return RECOMMENDATION
    if kind == "stage1":
        return STAGE2_READINESS
    if kind == "surveillance":
        return MAINTENANCE
    return NO_DECISION


@dataclass
class Recommendation:
    recommended: bool
    reasons: list[str] = field(default_factory=list)
    repeat_stage2: bool = False


@dataclass
class Outcome:
    """The conclusion an audit's page, API and report state, with its reasons."""

    kind: str  # RECOMMENDATION | STAGE2_READINESS | MAINTENANCE | NO_DECISION
    positive: bool | None  # None: the audit concludes nothing of the kind
    headline: str
    reasons: list[str] = field(default_factory=list)
    repeat_stage2: bool = False
    areas_of_concern: list[str] = field(default_factory=list)  # references (stage 1)

    @property
    def recommended(self) -> bool:
        return self.kind == RECOMMENDATION and bool(self.positive)


@dataclass
class NcState:
    """What the outcome rules need to know of one nonconformity (or area of concern)."""

    reference: str
    grade: str  # "major" | "minor" | "concern"
    deadline: date | None
    plan_accepted_on: date | None
    verified_on: date | None
    plan_submitted_on: date | None = None  # the last submission (the one accepted, if any)
    resolved_on: date | None = None  # an area of concern: when it was found resolved


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
        return Recommendation(False, [str(gettext("The closing meeting has not been held yet."))])
    repeat = False
    for nc in nonconformities:
        if nc.grade == "major":
            if nc.verified_on is None:
                ok = False
                reasons.append(
                    str(
                        gettext("Major nonconformity %(ref)s is not verified yet.")
                        % {"ref": nc.reference}
                    )
                )
                if stage2_last_day and today > stage2_verification_limit(stage2_last_day):
                    repeat = True
            elif stage2_last_day and nc.verified_on > stage2_verification_limit(stage2_last_day):
                repeat = True
        elif nc.grade == "minor":
            problem = _minor_problem(nc, today)
            if problem:
                ok = False
                reasons.append(problem)
    if repeat:
        ok = False
        reasons.append(
            str(
                gettext(
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
                gettext(
                    "No major nonconformity is open (%(majors)s verified) and every minor one "
                    "(%(minors)s) has an accepted plan, submitted within its deadline."
                )
                % {"majors": majors, "minors": minors}
            )
        )
    return Recommendation(ok, reasons, repeat)


def _minor_problem(nc: NcState, today: date) -> str | None:
    """Why a minor nonconformity holds the decision back, or None.

    The deadline binds the submission; the acceptance only has to come before the decision.
    """
    ref = {"ref": nc.reference}
    submitted = nc.plan_submitted_on
    late = nc.deadline is not None and submitted is not None and submitted > nc.deadline
    if late:
        return str(
            gettext("Minor nonconformity %(ref)s: the plan was submitted after its deadline.") % ref
        )
    if nc.plan_accepted_on is not None:
        return None
    if submitted is not None:
        return str(
            gettext(
                "Minor nonconformity %(ref)s: the plan was submitted in time and awaits "
                "acceptance (before the certification decision)."
            )
            % ref
        )
    if nc.deadline is not None and today > nc.deadline:
        return gettext("Minor nonconformity %(ref)s: no plan submitted, deadline passed.") % ref
    return str(gettext("Minor nonconformity %(ref)s: the plan is not accepted yet.") % ref)


def outcome(
    kind: str,
    nonconformities: list[NcState],
    *,
    closing_meeting_held: bool,
    today: date,
    last_day: date | None = None,
) -> Outcome:
    """The audit's conclusion for its ``outcome_kind``, with the reasons in plain words."""
    if kind == RECOMMENDATION:
        result = recommendation(
            [nc for nc in nonconformities if nc.grade in ("major", "minor")],
            closing_meeting_held=closing_meeting_held,
            today=today,
            stage2_last_day=last_day,
        )
        headline = (
            gettext("Certification can be recommended")
            if result.recommended
            else gettext("Certification cannot be recommended yet")
        )
        return Outcome(
            kind, result.recommended, str(headline), result.reasons, result.repeat_stage2
        )
    if kind == MAINTENANCE:
        result = recommendation(
            [nc for nc in nonconformities if nc.grade in ("major", "minor")],
            closing_meeting_held=closing_meeting_held,
            today=today,
        )
        reasons = result.reasons
        if result.recommended:
            reasons = [
                str(
                    gettext(
                        "No major nonconformity is open and every minor one has an accepted "
                        "plan, submitted within its deadline."
                    )
                )
            ]
        elif any(nc.grade == "major" and nc.verified_on is None for nc in nonconformities):
            reasons = [
                *reasons,
                gettext("An open major nonconformity puts the certificate at risk of suspension."),
            ]
        headline = (
            gettext("Certification is maintained")
            if result.recommended
            else gettext("Maintaining certification is not confirmed yet")
        )
        return Outcome(kind, result.recommended, str(headline), reasons)
    if kind == STAGE2_READINESS:
        return _stage2_readiness(nonconformities, closing_meeting_held)
    return Outcome(
        NO_DECISION,
        None,
        str(gettext("No certification decision follows from this audit")),
        [
            str(
                gettext(
                    "Its nonconformities are corrected under clause 10.1 and reviewed by "
                    "management (9.3)."
                )
            )
        ],
    )


def _stage2_readiness(findings: list[NcState], closing_meeting_held: bool) -> Outcome:
    concerns = [f.reference for f in findings if f.grade in ("concern", "major", "minor")]
    if not closing_meeting_held:
        return Outcome(
            STAGE2_READINESS,
            False,
            str(gettext("Readiness for stage 2 is not concluded yet")),
            [str(gettext("The closing meeting has not been held yet."))],
            areas_of_concern=concerns,
        )
    reasons = []
    ready = True
    for f in findings:
        if f.grade == "major" and f.verified_on is None:
            ready = False
            reasons.append(
                gettext("Major nonconformity %(ref)s: not ready for stage 2 until it is verified.")
                % {"ref": f.reference}
            )
    if ready:
        # Resolved: an area of concern found resolved, a nonconformity verified.
        open_ = [
            f.reference
            for f in findings
            if f.reference in concerns and (f.resolved_on or f.verified_on) is None
        ]
        if open_:
            reasons.append(
                str(
                    ngettext(
                        "%(count)s area of concern to resolve before stage 2; plan stage 2 so "
                        "that the organisation has time to resolve it.",
                        "%(count)s areas of concern to resolve before stage 2; plan stage 2 so "
                        "that the organisation has time to resolve them.",
                        len(open_),
                    )
                    % {"count": len(open_)}
                )
            )
        elif concerns:
            reasons.append(
                str(
                    ngettext(
                        "Its %(count)s area of concern is resolved.",
                        "All %(count)s areas of concern are resolved.",
                        len(concerns),
                    )
                    % {"count": len(concerns)}
                )
            )
        else:
            reasons.append(str(gettext("No area of concern was raised.")))
    headline = gettext("Ready for stage 2") if ready else gettext("Not ready for stage 2 yet")
    return Outcome(STAGE2_READINESS, ready, str(headline), reasons, areas_of_concern=concerns)
