"""The searchable kinds: each app registers its own, so the core never imports the apps above.

A kind says which model it indexes, how to build the documents of some of its objects in one
organisation (in a constant number of queries), which rows a user may see, how to open one
(its URL), and which saves change its documents. Register it in the app's
``AppConfig.ready()``::

    from itsms.search.registry import SearchKind, register

    register(SearchKind(
        key="risk", label=_("Risks"), model=Risk, order=70,
        documents=risk_documents,            # (organization_id, ids | None) -> [Document]
        url=lambda hit: reverse("sms:risk_detail", kwargs={...}),
        watch={Risk: lambda risk, created: [(risk.organization_id, risk.pk)]},
    ))

``itsms.search.signals`` connects ``watch`` (post_save, post_delete, and ``m2m`` changes) to
``services.refresh``, which rebuilds exactly the documents named and deletes those whose
object no longer yields one. ``rebuild_search_index`` rebuilds everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

#: ``(organization_id, object_id)``; ``object_id`` None means every object of the kind there.
Target = tuple[int, int | None]


@dataclass(frozen=True)
class Document:
    """What the index stores for one object (text as written; tokens are computed from it)."""

    organization_id: int
    object_id: int
    title: str
    body: str = ""
    reference: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class Hit:
    """One search result, as the selector hands it to a kind's ``url``/``title``."""

    id: int
    kind: str
    organization_id: int
    organization_slug: str
    organization_name: str
    object_id: int
    parent_id: int | None
    reference: str
    title: str
    rank: float


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: object  # a lazily translated plural noun: "Evidence", "Findings"
    model: type
    #: ``(organization_id, object_ids or None for all) -> iterable of Document``
    documents: Callable[[int, list[int] | None], Iterable[Document]]
    #: ``(Hit) -> str``: the page that opens the object
    url: Callable[[Hit], str]
    #: ``(user, organization ids subquery) -> QuerySet``: narrows further the rows the user may
    #: find; the rows of a tenant model are always ``restrict(user, "view")``'s (the selector),
    #: so a kind needs none
    visible: Callable | None = None
    #: ``{model: (instance, created) -> [Target]}``: saves and deletes that change documents
    watch: dict = field(default_factory=dict)
    #: many-to-many ``through`` models whose changes change documents:
    #: ``{through: (instance of the side that changed, pk_set, reverse) -> [Target]}``
    watch_m2m: dict = field(default_factory=dict)
    #: ``(Hit) -> str``: the title shown, in the active language (default: as stored)
    display_title: Callable[[Hit], str] | None = None
    #: position of the kind's group on the results page
    order: int = 50

    def title_of(self, hit: Hit) -> str:
        return self.display_title(hit) if self.display_title else hit.title


KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    """Add (or replace) a searchable kind. Call it from ``AppConfig.ready()``."""
    KINDS[kind.key] = kind
    from . import signals

    signals.connect(kind)
    return kind


def kinds() -> list[SearchKind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.key))


def get(key: str) -> SearchKind | None:
    return KINDS.get(key)
