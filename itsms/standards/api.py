"""API of the reference data: standards and their clause trees (read-only)."""

from django.db.models import Count, Prefetch
from rest_framework import viewsets

from itsms.models import Clause, ClauseCorrelation, Standard

from .filters import ClauseFilterSet
from .serializers import ClauseSerializer, StandardSerializer


class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    """Standards whose clause trees are shipped as reference data."""

    serializer_class = StandardSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Standard.objects.annotate(clause_count=Count("clauses")).order_by("order")
    filter_backends = []


class ClauseViewSet(viewsets.ReadOnlyModelViewSet):
    """Clause headings with their correlations both ways (filter by standard and parent)."""

    serializer_class = ClauseSerializer
    filterset_class = ClauseFilterSet
    queryset = (
        Clause.objects.select_related("standard", "parent")
        .prefetch_related(
            Prefetch(
                "correlations", queryset=ClauseCorrelation.objects.select_related("other__standard")
            ),
            Prefetch(
                "correlated_from",
                queryset=ClauseCorrelation.objects.select_related("clause__standard"),
            ),
        )
        .order_by("standard__order", "order")
    )
