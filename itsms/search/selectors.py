"""The search: what a user may find, grouped by organisation and kind, highlighted.

The query goes through the organisation checkpoint: documents of the organisations the user
may read (``permissions.organizations_for``: memberships, and an outside auditor's
organisations only while assigned), and of each kind of a tenant model only the rows
``Model.objects.restrict(user, "view")`` lets the user see — the same policy and named rules
as the kind's pages and API (evidence: not deleted unless the user may restore it; audits,
findings and corrective actions: for an outside auditor only those of the audits assigned).
A user never finds a row he may not read. A kind's ``visible`` narrows further, never wider.
Three queries whatever the data: the hits with their groups' totals (window functions), the
bodies of the hits shown (for snippets), and the checkpoint's permission lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString

from itsms.models import SearchDocument, TenantModel
from itsms.shared import permissions

from . import analysis, backends, registry
from .registry import Hit, SearchKind

#: Hits shown per kind on the grouped page, and per page of one kind.
PER_KIND = 5
PER_PAGE = 20
#: Organisations shown at most (a consultant's search across 200 clients).
MAX_ORGANIZATIONS = 20


@dataclass
class Result:
    hit: Hit
    kind: SearchKind
    title: SafeString  # escaped, matches marked
    snippet: SafeString
    url: str
    show_reference: bool = False


@dataclass
class Group:
    kind: SearchKind
    total: int
    results: list[Result] = field(default_factory=list)

    @property
    def label(self):
        return self.kind.label

    @property
    def more(self) -> bool:
        return self.total > len(self.results)


@dataclass
class OrganizationGroup:
    id: int
    slug: str
    name: str
    groups: list[Group] = field(default_factory=list)
    best: float = 0.0

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


@dataclass
class Results:
    query: str
    terms: list
    organizations: list[OrganizationGroup] = field(default_factory=list)
    organizations_total: int = 0

    @property
    def total(self) -> int:
        return sum(o.total for o in self.organizations)

    @property
    def capped(self) -> bool:
        return self.organizations_total > len(self.organizations)

    @property
    def searched(self) -> bool:
        return bool(self.terms)


def visible_rows(kind: SearchKind, user, organization_ids):
    """The rows of ``kind`` the user may find among ``organization_ids`` (a queryset), or None
    for a kind of reference data (clauses: every organisation the user may read)."""
    rows = None
    if issubclass(kind.model, TenantModel):
        rows = kind.model.objects.restrict(user, "view").filter(organization__in=organization_ids)
    if kind.visible is not None:
        narrowed = kind.visible(user, organization_ids)
        rows = narrowed if rows is None else rows.filter(pk__in=narrowed.values("pk"))
    return rows


def _condition(user, organization_ids, chosen: list[SearchKind]) -> Q:
    parts = []
    for kind in chosen:
        part = Q(kind=kind.key)
        rows = visible_rows(kind, user, organization_ids)
        if rows is not None:
            part &= Q(object_id__in=rows.values("pk"))
        parts.append(part)
    return Q(organization__in=organization_ids) & reduce(or_, parts)


def _compiled_where(queryset) -> tuple[str, list]:
    query = queryset.query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    return sql, list(params)


def readable_organizations(user, organizations=None):
    """Ids of the organisations whose SMS the user may search (a subquery), optionally only
    among ``organizations`` (ids or a queryset)."""
    allowed = permissions.organizations_for(user)
    if organizations is not None:
        allowed = allowed.filter(pk__in=organizations)
    return allowed.values("pk")


def search(
    user,
    query: str,
    *,
    organizations=None,
    kind: str | None = None,
    offset: int = 0,
    limit: int | None = None,
    max_organizations: int = MAX_ORGANIZATIONS,
) -> Results:
    """Search the SMS of the user's organisations (or of ``organizations`` among them).

    Without ``kind``: the best ``limit`` (default ``PER_KIND``) hits of every kind of every
    organisation with each group's total; with ``kind``: that kind only, ``offset`` on. At most
    ``max_organizations`` organisations are shown, those with the best hits first.
    """
    terms = analysis.query_terms(query)
    results = Results(query=query, terms=terms)
    chosen = [k for k in registry.kinds() if kind is None or k.key == kind]
    if not terms or not chosen or not user or not user.is_authenticated:
        return results
    limit = limit or (PER_PAGE if kind else PER_KIND)
    organization_ids = readable_organizations(user, organizations)
    documents = SearchDocument.objects.filter(_condition(user, organization_ids, chosen))
    rows = backends.ranked(terms, _compiled_where(documents), offset, limit)
    by_organization: dict[int, OrganizationGroup] = {}
    hits: dict[tuple[int, str], list[Hit]] = {}
    for pk, org_id, slug, name, kind_key, object_id, parent_id, ref, title, rank, total in rows:
        search_kind = registry.get(kind_key)
        if search_kind is None:
            continue  # a kind no longer registered: its documents wait for the rebuild
        organization = by_organization.get(org_id)
        if organization is None:
            organization = by_organization[org_id] = OrganizationGroup(
                org_id, slug, name, best=rank
            )
        organization.best = min(organization.best, rank)
        if (org_id, kind_key) not in hits:
            hits[(org_id, kind_key)] = []
            organization.groups.append(Group(search_kind, total))
        hits[(org_id, kind_key)].append(
            Hit(pk, kind_key, org_id, slug, name, object_id, parent_id, ref, title, rank)
        )
    ranked = sorted(by_organization.values(), key=lambda o: (o.best, o.name))
    results.organizations_total = len(ranked)
    results.organizations = ranked[:max_organizations]
    shown = [h for o in results.organizations for g in o.groups for h in hits[(o.id, g.kind.key)]]
    bodies = dict(
        SearchDocument.objects.filter(pk__in=[h.id for h in shown]).values_list("pk", "body")
    )
    for organization in results.organizations:
        organization.groups.sort(key=lambda g: (g.kind.order, g.kind.key))
        for group in organization.groups:
            for hit in hits[(organization.id, group.kind.key)]:
                group.results.append(_result(group.kind, hit, bodies.get(hit.id, ""), terms))
    return results


def _result(kind: SearchKind, hit: Hit, body: str, terms) -> Result:
    title = kind.title_of(hit)
    return Result(
        hit=hit,
        kind=kind,
        title=analysis.highlight(title, terms),
        snippet=analysis.snippet(body, terms),
        url=kind.url(hit),
        show_reference=bool(hit.reference) and not title.startswith(hit.reference),
    )
