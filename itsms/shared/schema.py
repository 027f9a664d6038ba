"""The OpenAPI document says what the server answers (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

drf-spectacular documents the success of each operation; ``AutoSchema`` adds the answers
every operation may give (400 with the fields at fault, 401, 403, 404, 429, and on writes 409
for a stale version, 413 for a body over the limit, 415 for a body of another type) and marks
a field nullable when the model column behind it is. ``bin/fuzz`` holds the document to its
word: schemathesis checks every answer of a live server against it.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    """The API token (``itsms.accounts.authentication``, django-rest-knox's, hardened):
    ``Authorization: Token <key>``. drf-spectacular's knox extension matches knox's own class
    only, not a subclass."""

    target_class = "itsms.accounts.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )


class ErrorSerializer(serializers.Serializer):
    """An error: what went wrong, in the reader's language."""

    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    """A write that met a newer version: nothing was changed."""

    detail = serializers.CharField()
    version = serializers.ListField(child=serializers.CharField(), required=False)
    current = serializers.DictField(
        required=False,
        help_text=_("The object as it is now stored (reload, merge, send its version)."),
    )


VALIDATION_ERROR = {
    "type": "object",
    "description": _(
        "Each field at fault with its messages (a list of strings, or an object for a nested "
        "field); `detail` or `non_field_errors` for the request as a whole."
    ),
    "additionalProperties": {},
}

ERRORS = {
    "400": (_("The request is malformed or a field is refused; the body names each field."), None),
    "401": (_("Not signed in: send a valid token (`Authorization: Token …`)."), ErrorSerializer),
    "403": (_("Your role, or the object's rules, do not allow this."), ErrorSerializer),
    "404": (
        _("No such object among those you may see (another organisation's objects included)."),
        ErrorSerializer,
    ),
    "429": (_("Too many requests, or sign-in locked after failed attempts."), ErrorSerializer),
}
WRITE_ERRORS = {
    "409": (
        _("Someone saved since you loaded it (send the `version` you loaded); nothing changed."),
        ConflictSerializer,
    ),
    "415": (_("The body is not of a type this operation reads."), ErrorSerializer),
}
UPLOAD_ERRORS = {"413": (_("The request body is larger than the upload limit."), ErrorSerializer)}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema with the error answers and nullable columns documented."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors.update(WRITE_ERRORS)
            parsers = getattr(self.view, "parser_classes", ())
            if any(parser.media_type.startswith("multipart") for parser in parsers):
                errors.update(UPLOAD_ERRORS)
        for code, (description, serializer) in errors.items():
            if code in responses:
                continue
            schema = (
                self.resolve_serializer(serializer, direction).ref
                if serializer is not None
                else VALIDATION_ERROR
            )
            responses[code] = {
                "content": {"application/json": {"schema": schema}},
                "description": str(description),
            }
        return responses

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if "nullable" not in meta and _column_is_nullable(field):
            meta["nullable"] = True
        return meta


def _column_is_nullable(field) -> bool:
    """Whether a model column on the way to what a read-only serializer field shows may be NULL
    (``approved_by``, ``parent``, ``finding.audit.closing_meeting_on``)."""
    if not isinstance(field, serializers.Field) or not field.read_only:
        return False
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in getattr(field, "source_attrs", None) or ():
        try:
            column = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(column, "null", False):
            return True
        model = getattr(column, "related_model", None)
        if model is None:
            return False
    return False


def require_version_on_updates(result, generator, request, public):
    """A PATCH of a versioned object needs the ``version`` loaded (``itsms.shared.versioning``):
    say so in its request body (drf-spectacular makes every field of a PATCH optional)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        properties = component.get("properties", {})
        if name.startswith("Patched") and "version" in properties:
            required = component.setdefault("required", [])
            if "version" not in required:
                required.append("version")
    return result
