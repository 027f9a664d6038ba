"""The readiness score: one rule, written here and on the dashboard in the same words.

- Each requirement clause (a leaf of the ISO/IEC 20000-1:2018 tree: 57 of the 77 numbered
  clauses) scores by its status: not started 0 %, planned 25 %, partially implemented 50 %,
  implemented 100 %. A clause operated by another party counts like any other: the
  organisation stays accountable for it (clause 8.2.3).
- A heading (4, 5.2, 8.5.1, …) is not assessed itself; it shows the average of the
  requirement clauses under it.
- Overall readiness is the average of all 57 requirement clauses, so each counts the same.
- Maturity (0–5) is recorded beside the status and does not change the score.

"Self-assessed" readiness is this score. "Evidenced" readiness counts only what an auditor
can sample: a requirement clause scores 100 % when it is implemented AND at least one
approved, unexpired, non-deleted evidence item is linked to it, otherwise 0 %; headings and
the overall figure average the clauses the same way (``evidenced``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

WEIGHTS: dict[str, Decimal] = {
    "not_started": Decimal("0"),
    "planned": Decimal("0.25"),
    "partial": Decimal("0.5"),
    "implemented": Decimal("1"),
}

RULE_TEXT = [
    _(
        "Each of the 57 requirement clauses scores by its status: not started 0 %, planned 25 %, "
        "partially implemented 50 %, implemented 100 %."
    ),
    _(
        "A clause operated by another party (an external or internal supplier, or a customer "
        "acting as a supplier) counts like any other: the organisation stays accountable for it."
    ),
    _(
        "A heading is not assessed itself: it shows the average of the requirement clauses "
        "under it."
    ),
    _("Overall readiness is the average of all 57 requirement clauses; each counts the same."),
    _("Maturity (0–5) is recorded beside the status and does not change the score."),
    _(
        "Evidenced readiness counts a requirement clause only when it is implemented and at "
        "least one approved, unexpired evidence item is linked to it; drafts, documents in "
        "review, expired, superseded and deleted evidence do not count."
    ),
]


def percent(value: Decimal) -> int:
    """A score in 0..1 as a whole percentage (half up)."""
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def ancestors_of(number: str) -> list[str]:
    parts = number.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@dataclass
class Readiness:
    overall: Decimal
    headings: dict[str, Decimal] = field(default_factory=dict)
    leaf_count: int = 0

    @property
    def overall_percent(self) -> int:
        return percent(self.overall)

    def heading_percent(self, number: str) -> int | None:
        value = self.headings.get(number)
        return None if value is None else percent(value)

    def chapters(self) -> list[tuple[str, int]]:
        """(chapter, %) for 4–10 in order."""
        return [
            (n, percent(v))
            for n, v in sorted(self.headings.items(), key=lambda kv: int(kv[0].split(".")[0]))
            if "." not in n
        ]


def compute(leaves: Iterable[str], statuses: Mapping[str, str]) -> Readiness:
    """Readiness from the leaf clause numbers and their statuses (missing = not started)."""
    leaves = list(leaves)
    if not leaves:
        return Readiness(overall=Decimal(0))
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    total = Decimal(0)
    for number in leaves:
        weight = WEIGHTS[statuses.get(number, "not_started")]
        total += weight
        for heading in ancestors_of(number):
            sums[heading] = sums.get(heading, Decimal(0)) + weight
            counts[heading] = counts.get(heading, 0) + 1
    headings = {h: sums[h] / counts[h] for h in sums}
    return Readiness(overall=total / len(leaves), headings=headings, leaf_count=len(leaves))


def evidenced(
    leaves: Iterable[str], statuses: Mapping[str, str], evidenced_numbers: Iterable[str]
) -> Readiness:
    """Evidenced readiness: implemented AND backed by counting evidence, else nothing."""
    backed = set(evidenced_numbers)
    implemented = {
        number: "implemented"
        for number, status in statuses.items()
        if status == "implemented" and number in backed
    }
    return compute(leaves, implemented)
