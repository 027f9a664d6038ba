"""The certificate cycle, in one module, each rule with its source.

Sources (../shared/reference/certification-rules.md):
- Validity: three years from the certification decision; ``expires_on`` is the day before the
  third anniversary (ISO/IEC 17021-1:2015 §9.1.3). The anniversary of 29 February is
  28 February.
- Surveillance: the first no later than 12 months after the decision, the second no later
  than 24 months after it, at least once each calendar year (ISO/IEC 17021-1 §9.1.3).
- Recertification: completed before expiry; decided before the current expiry, the new
  certificate's expiry is the old one plus three years (§9.6.3). Within six months after
  expiry a body may restore the certification once the outstanding recertification
  activities are completed (§9.6.3.2.5, number recalled) — the expiry still follows the old
  one. Later than that it is a new initial certification (stage 1 and stage 2 again).
- Transition 2011 → 2018: certificates to ISO/IEC 20000-1:2011 are invalid after the cutoff
  (default 2021-09-15, the product brief; IAF Resolution 2018-14 says 2021-09-30, extended
  for COVID-19 to 2022-03-30 — a setting per certification body) unless a transition audit to
  the 2018 edition was passed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

VALIDITY_YEARS = 3
RESTORATION_MONTHS = 6


def add_years(day: date, years: int) -> date:
    """The anniversary ``years`` later; 29 February becomes 28 February in common years."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(decision: date) -> date:
    """The last day of validity: the day before the third anniversary of the decision."""
    return add_years(decision, VALIDITY_YEARS) - timedelta(days=1)


def surveillance_due_dates(decision: date) -> list[date]:
    """Surveillance 1 and 2 are due no later than 12 and 24 months after the decision."""
    return [add_years(decision, 1), add_years(decision, 2)]


def recertification_due(expiry: date) -> date:
    """The recertification audit must be completed by the expiry date."""
    return expiry


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
        _("More than six months after expiry: a new initial certification (stage 1 and 2)."),
    )


def default_transition_cutoff() -> date:
    return date.fromisoformat(getattr(settings, "TRANSITION_CUTOFF", "2021-09-15"))


@dataclass(frozen=True)
class Validity:
    valid: bool
    reason: str


def validity(
    *,
    edition: str,
    status: str,
    expires: date,
    today: date,
    transition_passed: bool = False,
    transition_cutoff: date | None = None,
) -> Validity:
    """Is the certificate valid today, and why (not)?"""
    if status in ("suspended", "withdrawn"):
        return Validity(False, _("The certificate is %(status)s.") % {"status": status})
    if edition == "2011" and not transition_passed:
        cutoff = transition_cutoff or default_transition_cutoff()
        if today > cutoff:
            return Validity(
                False,
                _(
                    "Certificates to ISO/IEC 20000-1:2011 are invalid after %(cutoff)s unless a "
                    "transition audit to the 2018 edition was passed."
                )
                % {"cutoff": cutoff.isoformat()},
            )
    if today > expires:
        return Validity(False, _("Expired on %(date)s.") % {"date": expires.isoformat()})
    return Validity(True, _("Valid until %(date)s.") % {"date": expires.isoformat()})
