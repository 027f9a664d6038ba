"""A record's history in words: who changed which field from what to what.

Related rows by name (one query per related model), choices by their label, nothing as "—",
and the links snapshot (``SmsRecord.links``) as one change per kind of link (clauses,
processes, services, evidence), so a link added shows like any other change.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

LINK_LABELS = {
    "clauses": _("clauses"),
    "processes": _("processes"),
    "services": _("services"),
    "evidence": _("evidence"),
}


#: Bookkeeping fields a reader does not need to see change.
HIDDEN = {"version"}


def _blank(value):
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _label_of(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        return full_name() or getattr(obj, "email", "") or str(obj)
    return str(obj)


def history_of(record, limit: int = 10):
    """The latest ``limit`` changes of ``record``, newest first (see ``history_rows``)."""
    records = record.history.select_related("history_user").order_by("-history_date", "-pk")
    return history_rows(records[: limit + 1], limit)


def history_rows(records, limit: int = 10) -> list[tuple]:
    """``[(record, [(field label, before, after)])]`` for the latest ``limit`` history rows.

    ``records``: at most ``limit + 1`` rows, newest first, with ``history_user`` selected (the
    extra one is the state before the oldest change shown).
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
            if field.name in HIDDEN:
                continue
            if field.name == "links":
                old, new = old or {}, new or {}
                for name in LINK_LABELS:
                    if (old.get(name) or []) != (new.get(name) or []):
                        shown.append(
                            (LINK_LABELS[name], _blank(old.get(name)), _blank(new.get(name)))
                        )
                continue
            if field.is_relation and field.many_to_one:
                labels = names.get(field.related_model, {})
                old, new = labels.get(old, old), labels.get(new, new)
            elif field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            shown.append((field.verbose_name, _blank(old), _blank(new)))
        rows.append((record, shown))
    return rows
