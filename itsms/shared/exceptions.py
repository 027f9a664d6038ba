"""API errors: Django's ValidationError becomes 400 with details, a stale version 409 with the
object's current values; never 500."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .permissions import SecondFactorRequired
from .versioning import StaleVersion


def _stale(exc):
    if isinstance(exc, StaleVersion):
        return exc
    cause = getattr(exc, "__cause__", None)
    return cause if isinstance(cause, StaleVersion) else None


def stale_version_response(stale: StaleVersion, view) -> Response:
    """409: what happened, and the object as stored now (merge, then send its version)."""
    body = {"detail": str(stale), "version": [str(stale)]}
    get_serializer = getattr(view, "get_serializer", None)
    if get_serializer is not None:
        body["current"] = get_serializer(stale.current).data
    return Response(body, status=status.HTTP_409_CONFLICT)


def exception_handler(exc, context):
    stale = _stale(exc)
    if stale is not None:
        return stale_version_response(stale, context.get("view"))
    if isinstance(exc, SecondFactorRequired):
        response = drf_exception_handler(
            exceptions.PermissionDenied(str(exc), code=SecondFactorRequired.code), context
        )
        response.data["code"] = SecondFactorRequired.code
        return response
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
