"""Reads every register shares: a list ready to show, the links of one record, members."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from itsms.models import Clause, Evidence, User
from itsms.shared import permissions
from itsms.standards.reference import PRIMARY
from processes.models import ProcessInstance, Service


def clause_queryset() -> QuerySet:
    return Clause.objects.order_by("order").only(
        "id", "number", "title_en", "title_zh_hans", "order"
    )


def process_queryset() -> QuerySet:
    return ProcessInstance.objects.select_related("clause").order_by("clause__order")


def link_prefetches() -> list[Prefetch]:
    """The links of a register's rows, each read once for a whole list (4 queries)."""
    return [
        Prefetch("clauses", queryset=clause_queryset()),
        Prefetch("processes", queryset=process_queryset()),
        Prefetch("services", queryset=Service.objects.order_by("name").only("id", "name")),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(deleted_at__isnull=True)
            .order_by("title")
            .only("id", "title", "status", "review_by", "deleted_at", "organization_id"),
        ),
    ]


def record_list(queryset: QuerySet) -> QuerySet:
    """A register's rows (``queryset`` already scoped) with their owner and links."""
    return queryset.select_related("owner").prefetch_related(*link_prefetches())


def members_of(organization) -> QuerySet:
    """The members of the organisation: the only owners one may pick."""
    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )


def is_member(user, organization) -> bool:
    return members_of(organization).filter(pk=user.pk).exists()


def members_of_user_organizations(user) -> QuerySet:
    """Users sharing an organisation with ``user`` (API choices; narrowed per organisation)."""
    return User.objects.filter(
        memberships__organization__in=permissions.organizations_for(user)
    ).distinct()


def primary_clauses() -> QuerySet:
    """The clauses of ISO/IEC 20000-1:2018 a record may link to (headings too: 6.1, 8.3)."""
    return Clause.objects.filter(standard__code=PRIMARY).order_by("order")


def linkable_processes(organization) -> QuerySet:
    return process_queryset().filter(organization=organization)


def linkable_services(organization) -> QuerySet:
    return Service.objects.filter(organization=organization).order_by("name")


def linkable_evidence(organization) -> QuerySet:
    return Evidence.objects.filter(organization=organization, deleted_at__isnull=True).order_by(
        "title"
    )


def of_user_organizations(model, user) -> QuerySet:
    """Rows of ``model`` in the user's organisations (API choices; narrowed per object)."""
    queryset = model._default_manager.filter(organization__in=permissions.organizations_for(user))
    if model is Evidence:
        queryset = queryset.filter(deleted_at__isnull=True)
    return queryset
