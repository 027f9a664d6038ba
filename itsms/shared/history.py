"""History: saving with the actor recorded, and reading the record back as changes in words.

Every service of every app saves a row through ``save_recorded``, so django-simple-history
records who made each change (before/after come with the record). ``history_rows`` is the one
diff of the product: every history panel (clause assessments, processes, services, …) shows
its records through it.
"""

from __future__ import annotations

from collections import defaultdict


def save_recorded(instance, actor):
    """Validate and save ``instance``, recording ``actor`` in its history. Every app's services
    save through this."""
    instance._history_user = actor
    instance.full_clean()
    instance.save()
    return instance


def _blank(value):
    return "—" if value in (None, "") else value


def _label_of(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        return full_name() or getattr(obj, "email", "") or str(obj)
    return str(obj)


def history_rows(records, limit: int = 10) -> list[tuple]:
    """``[(record, [(field label, before, after)])]`` for the latest ``limit`` records, newest
    first; each change says which field changed, from what to what, in words (a related row
    by its name, a choice by its label, nothing as "—").

    ``records``: at most ``limit + 1`` history rows, newest first, with ``history_user``
    selected (the extra one is the state before the oldest change shown). Related rows named
    in the changes are read in one query per related model.
    """
    records = list(records)
    diffs = []
    wanted: dict[type, set] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                field = record.instance_type._meta.get_field(change.field)
                if field.is_relation and field.many_to_one:
                    wanted[field.related_model].update(
                        v for v in (change.old, change.new) if v is not None
                    )
                changes.append((field, change.old, change.new))
        diffs.append((record, changes))
    names = {
        model: {obj.pk: _label_of(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }
    rows = []
    for record, changes in diffs:
        shown = []
        for field, old, new in changes:
            if field.is_relation and field.many_to_one:
                labels = names.get(field.related_model, {})
                old, new = labels.get(old, old), labels.get(new, new)
            elif field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            shown.append((field.verbose_name, _blank(old), _blank(new)))
        rows.append((record, shown))
    return rows
