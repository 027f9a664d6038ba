"""``GET /api/v1/search/?organization=<slug>&q=…``: the search of one organisation's SMS.

Grouped by kind as on the page; ``kind`` narrows to one kind, ``limit``/``offset`` page through
it. ``title_html`` and ``snippet_html`` are escaped HTML with the matched words in ``<mark>``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from itsms.models import SearchDocument
from itsms.shared.api import ORGANIZATION_PARAMETER, OrganizationScopedViewSet

from . import registry, selectors


class SearchParametersSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text=_("What to search for."))
    kind = serializers.ChoiceField(choices=[], required=False, help_text=_("One kind only."))
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [k.key for k in registry.kinds()]


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(help_text=_("The object's id in its own endpoint."))
    reference = serializers.CharField()
    title = serializers.CharField()
    title_html = serializers.CharField()
    snippet_html = serializers.CharField()
    url = serializers.CharField(help_text=_("The page that opens the object."))


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    results = SearchResultSerializer(many=True)


@extend_schema_serializer(many=False)  # one object (its groups), not a list
class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    organization = serializers.CharField()
    total = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)


def _parameter(name, kind, description, required=False):
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, required=required, description=description
    )


class SearchViewSet(OrganizationScopedViewSet):
    """Full-text search of an organisation's SMS: clauses, processes, services, evidence (with
    the text of its files), audits, findings, corrective actions and the registers."""

    queryset = SearchDocument.objects.all()
    serializer_class = SearchResponseSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[
            ORGANIZATION_PARAMETER,
            _parameter("q", OpenApiTypes.STR, _("What to search for."), required=True),
            _parameter("kind", OpenApiTypes.STR, _("One kind only, e.g. evidence, finding.")),
            _parameter("limit", OpenApiTypes.INT, _("Results per kind (1–100, default 10).")),
            _parameter("offset", OpenApiTypes.INT, _("Skip this many results of each kind.")),
        ],
        responses=SearchResponseSerializer,
    )
    def list(self, request, *args, **kwargs):
        organization = self.list_organization()
        parameters = SearchParametersSerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        results = selectors.search(
            request.user,
            data["q"],
            organizations=[organization.pk],
            kind=data.get("kind"),
            offset=data["offset"],
            limit=data["limit"],
        )
        groups = [g for o in results.organizations for g in o.groups]
        return Response(
            {
                "query": data["q"],
                "organization": organization.slug,
                "total": sum(g.total for g in groups),
                "groups": [
                    {
                        "kind": g.kind.key,
                        "label": str(g.label),
                        "total": g.total,
                        "results": [
                            {
                                "kind": r.kind.key,
                                "id": r.hit.object_id,
                                "reference": r.hit.reference,
                                "title": r.kind.title_of(r.hit),
                                "title_html": str(r.title),
                                "snippet_html": str(r.snippet),
                                "url": request.build_absolute_uri(r.url),
                            }
                            for r in g.results
                        ],
                    }
                    for g in groups
                ],
            }
        )
