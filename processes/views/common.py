"""Helpers shared by the pages of the processes app."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404


class ObjectMixin:
    """The view's object, looked up in the organisation-scoped queryset (404 otherwise)."""

    select_related: tuple[str, ...] = ()

    def get_object(self):
        if not hasattr(self, "_object"):
            queryset = self.get_queryset()
            if self.select_related:
                queryset = queryset.select_related(*self.select_related)
            self._object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._object


def add_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        key = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(key, messages)
