"""The clause-8 process catalogue, read from the clause tree of ISO/IEC 20000-1:2018.

There is no second reference model: a process of the catalogue *is* a clause of
the 2018 tree — 8.1 and every third-level clause 8.x.y except the "General"
headings (8.3.1). Fourth-level clauses (8.5.1.1 …) are the sub-requirements of
their process; the 2011 counterparts come from ``ClauseCorrelation`` (kind
"predecessor"), the project's own mapping.
"""

from __future__ import annotations

from django.db.models import Q

from itsms.models import Clause, ClauseCorrelation
from itsms.standards.reference import PRIMARY

#: Clause titles (English) that head a section without being a process of their own.
GENERAL_TITLES = ("General",)
#: The chapters of clause 8 that group the processes.
CHAPTERS = ("8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7")


def catalogue_q(prefix: str = "") -> Q:
    """The catalogue clauses as a ``Q`` (``prefix`` for lookups through a relation)."""
    p = prefix
    return (
        Q(**{f"{p}standard__code": PRIMARY})
        & (Q(**{f"{p}number": "8.1"}) | Q(**{f"{p}number__startswith": "8.", f"{p}depth": 3}))
        & ~Q(**{f"{p}title_en__in": GENERAL_TITLES})
    )


def catalogue_choices_q() -> Q:
    """``limit_choices_to`` of a foreign key to a catalogue clause."""
    return catalogue_q()


def catalogue_clauses():
    """The catalogue's clauses in the order of the standard (one query)."""
    return Clause.objects.filter(catalogue_q()).select_related("parent").order_by("order")


def is_catalogue_clause(clause: Clause) -> bool:
    if clause.standard.code != PRIMARY or clause.title_en in GENERAL_TITLES:
        return False
    return clause.number == "8.1" or (clause.number.startswith("8.") and clause.depth == 3)


def chapter_of(number: str) -> str:
    """ "8.5.1" → "8.5"; "8.1" → "8.1"."""
    return ".".join(number.split(".")[:2])


def predecessors_of(clause_ids) -> dict[int, list[ClauseCorrelation]]:
    """The ISO/IEC 20000-1:2011 clauses each 2018 clause replaced (one query)."""
    found: dict[int, list[ClauseCorrelation]] = {}
    rows = (
        ClauseCorrelation.objects.filter(
            clause_id__in=list(clause_ids), kind=ClauseCorrelation.Kind.PREDECESSOR
        )
        .select_related("other")
        .order_by("other__order")
    )
    for row in rows:
        found.setdefault(row.clause_id, []).append(row)
    return found


def sub_requirements_of(clause_ids) -> dict[int, list[Clause]]:
    """The fourth-level clauses under each process clause (one query)."""
    found: dict[int, list[Clause]] = {}
    for child in Clause.objects.filter(parent_id__in=list(clause_ids)).order_by("order"):
        found.setdefault(child.parent_id, []).append(child)
    return found
