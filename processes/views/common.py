"""Helpers shared by the pages of the processes app."""

from __future__ import annotations

from itsms.shared.forms import add_errors  # noqa: F401  (the one error-to-form helper)


class ObjectMixin:
    """The view's object, looked up once in the restricted queryset (404 when the user may not
    see it, 403 when they may not do the view's action to it: ``OrganizationMixin``)."""

    select_related: tuple[str, ...] = ()

    def get_object(self):
        if not hasattr(self, "_object"):
            queryset = self.get_queryset()
            if self.select_related:
                queryset = queryset.select_related(*self.select_related)
            self._object = super().get_object(queryset)
        return self._object
