"""The certificate cycle, in one module, each rule with its source.

Every date is a calendar date in the organisation's time zone (callers pass its ``today``).
Sources (``../shared/reference/certification-rules.md``; "recalled" = clause number as
commonly cited, to verify against ISO/IEC 17021-1:2015 itself):

- VALIDITY — three years from the certification decision; ``expires_on`` is the day before
  the third anniversary (ISO/IEC 17021-1:2015 §9.1.3). The anniversary of 29 February is
  28 February.
- SURVEILLANCE — the first no later than 12 months after the decision, the second no later
  than 24 months after it, and at least once each calendar year except in recertification
  years (§9.1.3, quoted by ISOP Solutions, gcerti.com, acq.ae). Both limits are checked:
  the next surveillance is due on the earlier of the month limit and the end of the first
  calendar year without one (``surveillance_plan``).
- HELD — a surveillance audit counts from its closing meeting (the audit is held when its
  closing meeting is recorded; a planned start is only a plan). The certificate page, the
  deadlines and the reminders all count with ``surveillance_held_on``.
- RECERTIFICATION — the audit is completed before expiry, early enough that the body can
  verify the corrections of any major nonconformity before the expiry, or the validity is
  not extended (§9.6.3.2.4, recalled). Each certification body sets its lead time
  (``CertificationBody.recertification_lead_days``); the product's default
  (``RECERTIFICATION_LEAD_DAYS``, 90 days) leaves the six-week response window plus time for
  verification and the decision. Decided before the current expiry, the new certificate's
  expiry is the old one plus three years (§9.6.3).
- RESTORATION — within six months after expiry a body may restore the certification once
  the outstanding recertification activities are completed (§9.6.3.2.5, recalled; IAF FAQ
  Q26): the expiry still follows the old one. Later than that at least a stage 2 audit is
  required — a stage 1 only where the body decides it (§9.6.3.2.5, recalled).
- SUSPENSION — a body suspends a certificate when the client does not allow surveillance or
  recertification audits at the required frequency (§9.6.5.1, recalled): a missed
  surveillance audit puts the certificate at risk of suspension.
- TRANSITION 2011 → 2018 — certificates to ISO/IEC 20000-1:2011 are invalid after the cutoff
  (default 2021-09-15, the product brief; IAF Resolution 2018-14 says 2021-09-30, extended
  for COVID-19 to 2022-03-30 — a setting per certification body) unless a transition audit
  to the 2018 edition was passed.
- REMINDERS — a reminder is sent only for a deadline ahead, or overdue by less than the grace
  period (``REMINDER_OVERDUE_GRACE_DAYS``, default 30 days: the product's rule against a
  flood of reminders for history entered after the fact), and never for a certificate that
  is expired, withdrawn or superseded by its recertification (``reminders_apply``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.rules import add_months  # one ``add_months`` in the product

__all__ = ["add_months"]

VALIDITY_YEARS = 3
RESTORATION_MONTHS = 6
SURVEILLANCE_LIMIT_MONTHS = (12, 24)


def add_years(day: date, years: int) -> date:
    """The anniversary ``years`` later; 29 February becomes 28 February in common years."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def expires_on(decision: date) -> date:
    """The last day of validity: the day before the third anniversary of the decision."""
    return add_years(decision, VALIDITY_YEARS) - timedelta(days=1)


def surveillance_due_dates(decision: date) -> list[date]:
    """The month limits: surveillance 1 and 2 no later than 12 and 24 months after the decision."""
    return [add_months(decision, months) for months in SURVEILLANCE_LIMIT_MONTHS]


def surveillance_held_on(closing_meeting_on: date | None) -> date | None:
    """The day a surveillance audit counts as held: its closing meeting (HELD)."""
    return closing_meeting_on


def default_recertification_lead_days() -> int:
    return getattr(settings, "RECERTIFICATION_LEAD_DAYS", 90)


def recertification_due(expiry: date, lead_days: int | None = None) -> date:
    """The latest date of the recertification audit: ``lead_days`` before the expiry."""
    days = default_recertification_lead_days() if lead_days is None else lead_days
    return expiry - timedelta(days=days)


# --- surveillance: the month limits and the calendar years ------------------------------


@dataclass(frozen=True)
class SurveillanceDue:
    """A surveillance audit still to hold, and the rule that sets its date."""

    number: int  # the n-th surveillance audit of the cycle
    due: date
    limit: date | None  # the 12- or 24-month limit, when it applies
    year: int | None  # the calendar year without a surveillance audit, when it applies

    @property
    def reason(self) -> str:
        if self.year is not None and (self.limit is None or self.due < self.limit):
            return _("at least once in calendar year %(year)s") % {"year": self.year}
        months = SURVEILLANCE_LIMIT_MONTHS[min(self.number, 2) - 1]
        return _("no later than %(months)s months after the decision") % {"months": months}


@dataclass(frozen=True)
class SurveillancePlan:
    held: list[date]  # surveillance audits held in the cycle, oldest first
    required_years: list[int]  # calendar years that need one (not the decision's, not recert's)
    pending: list[SurveillanceDue]

    @property
    def next(self) -> SurveillanceDue | None:
        return self.pending[0] if self.pending else None

    def years_without(self) -> list[int]:
        """Required calendar years in which no surveillance audit was held."""
        covered = {d.year for d in self.held}
        return [y for y in self.required_years if y not in covered]


def surveillance_plan(
    *,
    decision: date,
    expiry: date,
    recertification_due: date,
    held: Iterable[date | None],
    recertification_held: Iterable[date | None] = (),
) -> SurveillancePlan:
    """What surveillance the cycle still needs, and by when (SURVEILLANCE).

    The calendar years that need a surveillance audit lie strictly between the decision's
    year (the initial audit's) and the recertification year (the year of the recertification
    audit's latest date, or of a recertification audit already held). The next surveillance
    is due on the earlier of its month limit (12, then 24 months) and the end of the first
    such year after the last one held that has none; each following one is planned as if the
    previous were held on its due date.
    """
    in_cycle = sorted(d for d in held if d is not None and decision <= d <= expiry)
    recert_years = [d.year for d in recertification_held if d is not None and d >= decision]
    last_year = min([recertification_due.year, *recert_years])
    required = list(range(decision.year + 1, last_year))
    last_held_year = in_cycle[-1].year if in_cycle else decision.year
    remaining = [y for y in required if y > last_held_year]
    pending: list[SurveillanceDue] = []
    number = len(in_cycle) + 1
    while number <= len(SURVEILLANCE_LIMIT_MONTHS) or remaining:
        limit = (
            add_months(decision, SURVEILLANCE_LIMIT_MONTHS[number - 1])
            if number <= len(SURVEILLANCE_LIMIT_MONTHS)
            else None
        )
        year = remaining[0] if remaining else None
        candidates = [d for d in (limit, date(year, 12, 31) if year else None) if d]
        due = min(candidates)
        pending.append(SurveillanceDue(number=number, due=due, limit=limit, year=year))
        remaining = [y for y in remaining if y > due.year]
        number += 1
    return SurveillancePlan(held=in_cycle, required_years=required, pending=pending)


# --- the whole cycle, as the certificate page shows it -----------------------------------


@dataclass(frozen=True)
class CycleAudit:
    """A surveillance or recertification audit as the cycle needs it."""

    pk: int
    title: str
    planned_start: date
    held_on: date | None


@dataclass
class SurveillanceSlot:
    number: int
    due: date | None
    reason: str
    audit: CycleAudit | None
    state: str  # done | planned | planned_late | coming | overdue


@dataclass
class YearCheck:
    year: int
    state: str  # held | planned | missing (this year, none yet) | missed | later


@dataclass
class Cycle:
    decision: date
    expires_on: date
    recertification_due: date
    slots: list[SurveillanceSlot]
    years: list[YearCheck]
    recertification_audit: CycleAudit | None
    recertified: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def at_risk_of_suspension(self) -> bool:
        return any(s.state == "overdue" for s in self.slots) or any(
            y.state == "missed" for y in self.years
        )


def certificate_cycle(
    *,
    decision: date,
    expiry: date,
    lead_days: int | None,
    surveillance: Sequence[CycleAudit],
    recertification: Sequence[CycleAudit] = (),
    recertified: bool = False,
    today: date,
) -> Cycle:
    """The cycle of one certificate: each surveillance slot and calendar year with its state."""
    recert_due = recertification_due(expiry, lead_days)
    audits = sorted(surveillance, key=lambda a: (a.held_on or a.planned_start, a.pk))
    held = [a for a in audits if a.held_on and decision <= a.held_on <= expiry]
    plan = surveillance_plan(
        decision=decision,
        expiry=expiry,
        recertification_due=recert_due,
        held=[a.held_on for a in held],
        recertification_held=[a.held_on for a in recertification],
    )
    slots = [
        SurveillanceSlot(
            number=i,
            due=None,
            reason=_("held on %(date)s") % {"date": a.held_on.isoformat()},
            audit=a,
            state="done",
        )
        for i, a in enumerate(held, start=1)
    ]
    planned = [a for a in audits if a.held_on is None and a.planned_start >= decision]
    for due, audit in zip(plan.pending, planned + [None] * len(plan.pending), strict=False):
        if audit is not None:
            state = "planned" if audit.planned_start <= due.due else "planned_late"
        else:
            state = "overdue" if today > due.due else "coming"
        slots.append(
            SurveillanceSlot(
                number=due.number, due=due.due, reason=due.reason, audit=audit, state=state
            )
        )
    held_years = {a.held_on.year for a in held}
    planned_years = {a.planned_start.year for a in planned}
    years = []
    for year in plan.required_years:
        if year in held_years:
            state = "held"
        elif year < today.year:
            state = "missed"
        elif year in planned_years:
            state = "planned"
        elif year == today.year:
            state = "missing"
        else:
            state = "later"
        years.append(YearCheck(year=year, state=state))
    recert_audit = next(
        (
            a
            for a in sorted(recertification, key=lambda a: a.planned_start)
            if a.planned_start >= decision
        ),
        None,
    )
    cycle = Cycle(
        decision=decision,
        expires_on=expiry,
        recertification_due=recert_due,
        slots=slots,
        years=years,
        recertification_audit=recert_audit,
        recertified=recertified,
    )
    for year in years:
        if year.state == "missed":
            cycle.warnings.append(
                _("No surveillance audit was held in %(year)s.") % {"year": year.year}
            )
        elif year.state == "missing":
            cycle.warnings.append(
                _("No surveillance audit is held or planned in %(year)s yet.") % {"year": year.year}
            )
    for slot in slots:
        if slot.state == "planned_late":
            cycle.warnings.append(
                _(
                    "Surveillance audit %(n)s is planned for %(planned)s, after its due date "
                    "%(due)s (%(reason)s)."
                )
                % {
                    "n": slot.number,
                    "planned": slot.audit.planned_start.isoformat(),
                    "due": slot.due.isoformat(),
                    "reason": slot.reason,
                }
            )
        elif slot.state == "overdue":
            cycle.warnings.append(
                _("Surveillance audit %(n)s was due on %(due)s (%(reason)s).")
                % {"n": slot.number, "due": slot.due.isoformat(), "reason": slot.reason}
            )
    if cycle.at_risk_of_suspension:
        cycle.warnings.append(str(SUSPENSION_RISK))
    return cycle


SUSPENSION_RISK = gettext_lazy(
    "A missed surveillance audit puts the certificate at risk of suspension by the "
    "certification body (ISO/IEC 17021-1)."
)


# --- recertification and restoration ----------------------------------------------------


@dataclass(frozen=True)
class Recertification:
    expires_on: date
    kind: str  # "recertification" | "restoration" | "initial"
    reason: str


def recertified(previous_expiry: date, decision: date) -> Recertification:
    """The new certificate after a recertification decided on ``decision``."""
    if decision <= previous_expiry:
        return Recertification(
            add_years(previous_expiry, VALIDITY_YEARS),
            "recertification",
            _("Recertified before expiry: the new expiry follows the old one (+3 years)."),
        )
    if decision <= add_months(previous_expiry, RESTORATION_MONTHS):
        return Recertification(
            add_years(previous_expiry, VALIDITY_YEARS),
            "restoration",
            _(
                "Restored within six months after expiry: the expiry still follows the old "
                "one; the certificate was not valid between the expiry and the restoration."
            ),
        )
    return Recertification(
        expires_on(decision),
        "initial",
        _(
            "More than six months after expiry: at least a stage 2 audit is required (a stage 1 "
            "audit only where the certification body decides it); the new cycle starts with "
            "this decision."
        ),
    )


# --- validity ----------------------------------------------------------------------------


def default_transition_cutoff() -> date:
    return date.fromisoformat(getattr(settings, "TRANSITION_CUTOFF", "2021-09-15"))


#: What the product calls a certificate's state today (the stored status, corrected by dates).
STATE_LABELS = {
    "valid": gettext_lazy("Valid"),
    "suspended": gettext_lazy("Suspended"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "expired": gettext_lazy("Expired"),
    "superseded": gettext_lazy("Superseded"),
    "invalid": gettext_lazy("Invalid"),
}


@dataclass(frozen=True)
class Validity:
    valid: bool
    reason: str
    state: str = "valid"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def transition_invalid(
    *, edition: str, transition_passed: bool, transition_cutoff: date | None, today: date
) -> bool:
    """A 2011-edition certificate without a transition audit, past the cutoff (TRANSITION)."""
    cutoff = transition_cutoff or default_transition_cutoff()
    return edition == "2011" and not transition_passed and today > cutoff


def validity(
    *,
    edition: str,
    status: str,
    expires: date,
    today: date,
    transition_passed: bool = False,
    transition_cutoff: date | None = None,
    superseded_by: str | None = None,
) -> Validity:
    """Is the certificate valid today, and why (not)? Never shows a raw status code."""
    if status == "withdrawn":
        return Validity(False, _("The certificate was withdrawn."), "withdrawn")
    if status == "suspended":
        return Validity(False, _("The certificate is suspended."), "suspended")
    if status == "expired":
        return Validity(
            False,
            _("The certificate has expired (its last day was %(date)s).")
            % {"date": expires.isoformat()},
            "expired",
        )
    if superseded_by is not None:
        return Validity(
            False,
            _("Replaced by certificate %(number)s at recertification.") % {"number": superseded_by},
            "superseded",
        )
    cutoff = transition_cutoff or default_transition_cutoff()
    if transition_invalid(
        edition=edition, transition_passed=transition_passed, transition_cutoff=cutoff, today=today
    ):
        return Validity(
            False,
            _(
                "Certificates to ISO/IEC 20000-1:2011 are invalid after %(cutoff)s unless a "
                "transition audit to the 2018 edition was passed."
            )
            % {"cutoff": cutoff.isoformat()},
            "invalid",
        )
    if today > expires:
        return Validity(False, _("Expired on %(date)s.") % {"date": expires.isoformat()}, "expired")
    return Validity(True, _("Valid until %(date)s.") % {"date": expires.isoformat()}, "valid")


# --- reminders ---------------------------------------------------------------------------


def default_overdue_grace_days() -> int:
    return getattr(settings, "REMINDER_OVERDUE_GRACE_DAYS", 30)


def reminders_apply(
    *,
    status: str,
    superseded: bool,
    expires: date,
    today: date,
    edition: str = "2018",
    transition_passed: bool = False,
    transition_cutoff: date | None = None,
    kind: str = "surveillance",
) -> bool:
    """May the certificate's deadlines of ``kind`` be reminded today (REMINDERS)?

    Never for a certificate withdrawn, expired (by status or by date) or superseded; a
    2011-edition certificate past its transition cutoff is reminded only of the cutoff.
    ``deadlines.py`` applies the same rule in SQL.
    """
    if status in ("withdrawn", "expired") or superseded or today > expires:
        return False
    invalid = transition_invalid(
        edition=edition,
        transition_passed=transition_passed,
        transition_cutoff=transition_cutoff,
        today=today,
    )
    return kind == "transition" or not invalid


def reminder_window(offsets: Sequence[int], *, overdue: bool, today: date, grace_days: int):
    """The due dates that have a reminder today: ``(earliest, latest)``.

    A deadline is reminded from its largest offset before it and, for kinds reminded when
    overdue, until it is overdue by less than the grace period.
    """
    latest = today + timedelta(days=max(offsets, default=0))
    earliest = today - timedelta(days=max(grace_days - 1, 0)) if overdue else today
    return earliest, latest


def reminder_offset(offsets: Sequence[int], *, due: date, today: date, overdue: bool) -> str | None:
    """The reminder due today for a deadline on ``due``: "-30", "overdue" or None.

    Only the most recent applicable offset fires, so a first scan close to the due date
    sends one reminder, not every earlier one at once.
    """
    if today > due:
        return "overdue" if overdue else None
    days_left = (due - today).days
    applicable = [d for d in offsets if d >= days_left]
    return f"-{min(applicable)}" if applicable else None
