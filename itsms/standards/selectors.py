"""Reads of the core, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from itsms.models import Clause, ClauseCorrelation, EditionChange, Standard

from .reference import EDITION_2011, PRIMARY


@dataclass
class ClauseNode:
    clause: Clause
    children: list[ClauseNode] = field(default_factory=list)
    predecessors: list[Clause] = field(default_factory=list)
    corresponding: list[ClauseCorrelation] = field(default_factory=list)
    successors: list[Clause] = field(default_factory=list)

    @property
    def leaf_count(self):
        if not self.children:
            return 1
        return sum(child.leaf_count for child in self.children)


def requirement_clauses():
    """The requirement clauses of ISO/IEC 20000-1:2018: the leaves of its tree (57), in order.
    The one leaf-clause query of the product."""
    return (
        Clause.objects.filter(standard__code=PRIMARY)
        .annotate(n_children=Count("children"))
        .filter(n_children=0)
        .order_by("order")
    )


def heading_clauses():
    """The headings of ISO/IEC 20000-1:2018 (clauses with sub-clauses), in order."""
    return (
        Clause.objects.filter(standard__code=PRIMARY)
        .annotate(n_children=Count("children"))
        .filter(n_children__gt=0)
        .order_by("order")
    )


def standards_list():
    return Standard.objects.annotate(clause_count=Count("clauses")).order_by("order")


def clause_tree(standard: Standard) -> list[ClauseNode]:
    """The standard's clauses as a tree, with correlations, in three queries."""
    clauses = list(
        Clause.objects.filter(standard=standard)
        .select_related("standard")
        .prefetch_related(
            Prefetch(
                "correlations",
                queryset=ClauseCorrelation.objects.select_related("other__standard"),
            ),
            Prefetch(
                "correlated_from",
                queryset=ClauseCorrelation.objects.select_related("clause__standard"),
            ),
        )
        .order_by("order")
    )
    nodes = {c.pk: ClauseNode(clause=c) for c in clauses}
    roots = []
    for clause in clauses:
        node = nodes[clause.pk]
        for corr in clause.correlations.all():
            if corr.kind == ClauseCorrelation.Kind.PREDECESSOR:
                node.predecessors.append(corr.other)
            else:
                node.corresponding.append(corr)
        node.successors = [corr.clause for corr in clause.correlated_from.all()]
        if clause.parent_id and clause.parent_id in nodes:
            nodes[clause.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


def standard_by_code(code: str) -> Standard:
    return get_object_or_404(Standard, code=code)


def clause_detail(standard: Standard, number: str) -> dict:
    """A clause with its ancestors, children and correlations both ways."""
    clause = get_object_or_404(
        Clause.objects.select_related("standard", "parent"), standard=standard, number=number
    )
    ancestors = []
    numbers = []
    parts = number.split(".")
    for i in range(1, len(parts)):
        numbers.append(".".join(parts[:i]))
    by_number = {c.number: c for c in Clause.objects.filter(standard=standard, number__in=numbers)}
    ancestors = [by_number[n] for n in numbers if n in by_number]
    correlations = list(
        clause.correlations.select_related("other__standard").order_by(
            "other__standard__order", "other__order"
        )
    )
    predecessors = [c for c in correlations if c.kind == ClauseCorrelation.Kind.PREDECESSOR]
    corresponding = [c for c in correlations if c.kind == ClauseCorrelation.Kind.HARMONIZED]
    inherited_from = None
    if standard.code == PRIMARY and not clause.crosswalk_relation and ancestors:
        # Deeper clauses share the correspondence of their nearest ancestor in the crosswalk.
        for ancestor in reversed(ancestors):
            if not ancestor.crosswalk_relation:
                continue
            rows = list(
                ancestor.correlations.filter(kind=ClauseCorrelation.Kind.HARMONIZED)
                .select_related("other__standard")
                .order_by("other__standard__order", "other__order")
            )
            corresponding, inherited_from = rows, ancestor
            break
    successors = list(
        clause.correlated_from.select_related("clause__standard").order_by("clause__order")
    )
    changes = list(clause.edition_changes.order_by("order"))
    return {
        "clause": clause,
        "standard": standard,
        "ancestors": ancestors,
        "children": list(clause.children.order_by("order")),
        "predecessors": predecessors,
        "corresponding": corresponding,
        "inherited_from": inherited_from,
        "successors": successors,
        "changes": changes,
        "is_primary": standard.code == PRIMARY,
        "is_2011": standard.code == EDITION_2011,
    }


@dataclass
class ChangeTopic:
    value: str
    label: str
    changes: list[EditionChange] = field(default_factory=list)


def edition_changes() -> list[ChangeTopic]:
    """What changed in 2018, by topic, each change with its clauses of both editions (2 queries).

    Each change gets ``clauses_2018`` and ``clauses_2011`` in the order of the standard.
    """
    changes = EditionChange.objects.order_by("order").prefetch_related(
        Prefetch(
            "clauses",
            queryset=Clause.objects.select_related("standard").order_by("standard__order", "order"),
        )
    )
    topics = {value: ChangeTopic(value, label) for value, label in EditionChange.Topic.choices}
    for change in changes:
        clauses = list(change.clauses.all())
        change.clauses_2018 = [c for c in clauses if c.standard.code == PRIMARY]
        change.clauses_2011 = [c for c in clauses if c.standard.code == EDITION_2011]
        topics[change.topic].changes.append(change)
    return [topic for topic in topics.values() if topic.changes]
