"""Serializers of the reference data (``ClauseRefSerializer`` is reused by the apps above)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from itsms.models import Clause, ClauseCorrelation, Standard


class StandardSerializer(serializers.ModelSerializer):
    clause_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Standard
        fields = ["code", "name", "year", "is_primary", "clause_count"]


def in_active_language(help_text):
    """A read-only text in the request's language (``Accept-Language``), English by default."""
    return serializers.CharField(read_only=True, help_text=help_text)


class ClauseRefSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = in_active_language(_("The heading in the request's language."))

    class Meta:
        model = Clause
        fields = ["id", "standard", "number", "title", "title_en", "title_zh_hans"]


class CorrelationSerializer(serializers.ModelSerializer):
    """A correlation as users read it; the reference's research notes are not part of it."""

    other = ClauseRefSerializer(read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    note = in_active_language(_("The project's note on the correlation."))

    class Meta:
        model = ClauseCorrelation
        fields = [
            "kind",
            "relation",
            "relation_label",
            "inferred",
            "note",
            "note_en",
            "note_zh_hans",
            "other",
        ]


class SuccessorSerializer(CorrelationSerializer):
    clause = ClauseRefSerializer(read_only=True)

    class Meta(CorrelationSerializer.Meta):
        fields = [*CorrelationSerializer.Meta.fields[:-1], "clause"]


class ClauseSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="number", read_only=True)
    correlations = CorrelationSerializer(many=True, read_only=True)
    correlated_from = SuccessorSerializer(many=True, read_only=True)
    title = in_active_language(_("The heading in the request's language."))
    guidance = in_active_language(_("The project's guidance in the request's language."))
    note = in_active_language(_("The project's note in the request's language."))

    class Meta:
        model = Clause
        fields = [
            "id",
            "standard",
            "number",
            "title",
            "title_en",
            "title_zh_hans",
            "parent",
            "order",
            "depth",
            "guidance",
            "guidance_en",
            "guidance_zh_hans",
            "is_process",
            "group",
            "new_in_edition",
            "note",
            "note_en",
            "note_zh_hans",
            "correlations",
            "correlated_from",
        ]
