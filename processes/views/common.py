"""Helpers shared by the pages of the processes app."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404

from itsms.models import User


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


def _blank(value):
    return "—" if value in (None, "") else value


def history_rows(records, limit=10):
    """(record, [(field label, before, after)]) for the latest ``limit`` changes, newest first.

    ``records``: at most ``limit + 1`` history rows, newest first, with ``history_user``.
    """
    records = list(records)
    rows = []
    user_ids = set()
    diffs = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                if field.is_relation and field.related_model is User:
                    user_ids.update(v for v in (change.old, change.new) if v)
                changes.append((field, change.old, change.new))
        diffs.append((record, changes))
    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    for record, changes in diffs:
        shown = []
        for field, old, new in changes:
            if field.is_relation and field.related_model is User:
                old, new = emails.get(old, old or "—"), emails.get(new, new or "—")
            elif field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            shown.append((field.verbose_name, _blank(old), _blank(new)))
        rows.append((record, shown))
    return rows
