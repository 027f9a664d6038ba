"""Serializers of the reference data (``ClauseRefSerializer`` is reused by the apps above)."""

from rest_framework import serializers

from itsms.models import Clause, ClauseCorrelation, Standard


class StandardSerializer(serializers.ModelSerializer):
    clause_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Standard
        fields = ["code", "name", "year", "is_primary", "clause_count"]


class ClauseRefSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Clause
        fields = ["id", "standard", "number", "title"]


class CorrelationSerializer(serializers.ModelSerializer):
    other = ClauseRefSerializer(read_only=True)

    class Meta:
        model = ClauseCorrelation
        fields = ["kind", "relation", "inferred", "note", "other"]


class SuccessorSerializer(serializers.ModelSerializer):
    clause = ClauseRefSerializer(read_only=True)

    class Meta:
        model = ClauseCorrelation
        fields = ["kind", "relation", "inferred", "note", "clause"]


class ClauseSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="number", read_only=True)
    correlations = CorrelationSerializer(many=True, read_only=True)
    correlated_from = SuccessorSerializer(many=True, read_only=True)

    class Meta:
        model = Clause
        fields = [
            "id",
            "standard",
            "number",
            "title",
            "parent",
            "order",
            "depth",
            "guidance",
            "guidance_zh_hans",
            "is_process",
            "group",
            "new_in_edition",
            "note",
            "correlations",
            "correlated_from",
        ]
