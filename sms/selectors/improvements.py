"""Reads of the improvement register."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .records import record_list


def improvement_list(queryset: QuerySet) -> QuerySet:
    """Opportunities of a scoped queryset with owner and links, the soonest target first."""
    return record_list(queryset).order_by(F("target_date").asc(nulls_last=True), "number")
