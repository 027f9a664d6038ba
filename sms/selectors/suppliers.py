"""Reads of suppliers and agreements: lists with what they count, a supplier's clauses."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from itsms.models import ClauseAssessment

from ..models import Agreement, PerformanceReview, Supplier, SupplierClause
from .records import record_list


def _last_review(field: str):
    return Subquery(
        PerformanceReview.objects.filter(agreement=OuterRef("pk"))
        .order_by("-held_on", "-pk")
        .values(field)[:1]
    )


def supplier_list(queryset: QuerySet) -> QuerySet:
    """Suppliers of a scoped queryset with owner, links and what they count."""
    return (
        record_list(queryset)
        .annotate(
            agreement_count=Count("agreements", distinct=True),
            active_agreements=Count(
                "agreements", filter=Q(agreements__status=Agreement.Status.ACTIVE), distinct=True
            ),
            clause_count=Count("operations", distinct=True),
        )
        .order_by("title")
    )


def agreement_list(queryset: QuerySet) -> QuerySet:
    """Agreements of a scoped queryset with supplier, owner, links and their last review."""
    return (
        record_list(queryset)
        .select_related("supplier")
        .annotate(
            last_review_on=_last_review("held_on"),
            last_rating=_last_review("rating"),
            review_count=Count("reviews", distinct=True),
        )
        .order_by("kind", "title")
    )


def reviews_of(agreement: Agreement) -> list[PerformanceReview]:
    return list(agreement.reviews.select_related("recorded_by").order_by("-held_on", "-pk"))


def operated_clauses(supplier: Supplier) -> list[SupplierClause]:
    """The clause assessments the supplier operates, in the order of the standard."""
    return list(
        supplier.operations.select_related("assessment__clause").order_by(
            "assessment__clause__order"
        )
    )


def assessments_of(organization) -> QuerySet:
    """The organisation's clause assessments a supplier may operate (the requirement clauses)."""
    return (
        ClauseAssessment.objects.filter(organization=organization)
        .select_related("clause")
        .order_by("clause__order")
    )
