"""API errors: Django's ValidationError and IntegrityError become 400 with details, never 500."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .permissions import SecondFactorRequired


def exception_handler(exc, context):
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
