"""Showing a service's ``ValidationError`` to the user: on the form, by field, or as one text.

The one error-to-form helper of the product: every page that calls a service reports its
refusal through ``add_errors`` (a form) or ``error_text`` (a message).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has the field,
    the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        key = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(key, messages)


def error_text(exc: ValidationError) -> str:
    """A ValidationError (or a form's errors) as one line for a message."""
    if hasattr(exc, "message_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


def form_errors_text(form) -> str:
    """A form's errors as one line for a message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
