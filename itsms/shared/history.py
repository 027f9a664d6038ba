"""History: saving with the actor recorded, and reading it back in words.

Every service of every app saves a row through :func:`save_recorded`, so django-simple-history
records who made each change (before and after come with the record). Every history a person
reads — a clause's, a process's, an evidence item's, a corrective action's, "changed this week"
— is built by :func:`history_entries`: which field changed, from what to what, in words (a
person's name rather than an id, a choice's label, a date in the reader's language), with the
bookkeeping (version counters, timestamps) left out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

#: Fields that change on every save and say nothing to a reader (nor count as a change).
BOOKKEEPING = frozenset({"version", "updated_at", "updated_by", "cycle_refreshed_at"})
EMPTY = "—"


def save_recorded(instance, actor):
    """Validate and save ``instance``, recording ``actor`` in its history. Every app's services
    save through this."""
    instance._history_user = actor
    instance.full_clean()
    instance.save()
    return instance


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One history record in words: who, when, what kind, and which fields changed how."""

    record: models.Model
    kind: str  # "created", "changed" or "deleted"
    changes: list[FieldChange] = field(default_factory=list)
    #: False when the record before it is not known (then what changed is not known either)
    compared: bool = True

    @property
    def when(self):
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user

    @property
    def object_id(self):
        return getattr(self.record, self.record.instance_type._meta.pk.attname)

    @property
    def created(self) -> bool:
        return self.kind == "created"


def person_name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _tracked_fields(record) -> list[models.Field]:
    model = record.instance_type
    tracked = {f.attname for f in record._meta.fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname in tracked and f.name not in BOOKKEEPING and not f.primary_key
    ]


def changed_fields(newer, older) -> list[tuple[models.Field, object, object]]:
    """(model field, old raw value, new raw value) for each field that differs."""
    result = []
    for f in _tracked_fields(newer):
        old, new = getattr(older, f.attname), getattr(newer, f.attname)
        if old != new and not (old in (None, "") and new in (None, "")):
            result.append((f, old, new))
    return result


def _display(f: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _names(pairs: set[tuple[type, object]]) -> dict:
    """Names of the related rows, one query per related model."""
    by_model: dict[type, set] = defaultdict(set)
    for model, pk in pairs:
        by_model[model].add(pk)
    names = {}
    for model, pks in by_model.items():
        # select_related(): a name that reads its parent ("Procedure v2") costs no query.
        for obj in model._default_manager.filter(pk__in=pks).select_related():
            label = person_name(obj) if hasattr(obj, "get_full_name") else str(obj)
            names[(model, obj.pk)] = label
    return names


def history_entries(records, *, limit: int | None = None) -> list[HistoryEntry]:
    """The history records in words, newest first.

    ``records``: history rows of one or several objects, newest first (``history_user``
    selected). A record's predecessor is the next older record of the same object in
    ``records``; ask for one more than you show (``limit``) so the oldest shown has its own.
    A change record without its predecessor lists no fields (it is not known what changed).
    """
    records = list(records)
    pk_attname = records[0].instance_type._meta.pk.attname if records else "id"
    previous: dict[int, object] = {}
    older_of: dict[int, object] = {}
    for record in reversed(records):  # oldest first
        key = getattr(record, pk_attname)
        if key in previous:
            older_of[id(record)] = previous[key]
        previous[key] = record
    shown = records if limit is None else records[:limit]
    raw = []
    pairs = set()
    for record in shown:
        older = older_of.get(id(record))
        if record.history_type == "+":
            kind = "created"
        elif record.history_type == "-":
            kind = "deleted"
        else:
            kind = "changed"
        diffs = changed_fields(record, older) if older is not None and kind == "changed" else []
        for f, old, new in diffs:
            if f.is_relation:
                pairs.update((f.related_model, v) for v in (old, new) if v not in (None, ""))
        raw.append((record, kind, diffs, older is not None))
    names = _names(pairs)
    return [
        HistoryEntry(
            record=record,
            kind=kind,
            changes=[
                FieldChange(
                    name=f.name,
                    label=str(f.verbose_name),
                    old=_display(f, old, names),
                    new=_display(f, new, names),
                )
                for f, old, new in diffs
            ],
            compared=compared,
        )
        for record, kind, diffs, compared in raw
    ]


def entries_since(history, since, *, limit: int = 500) -> list[HistoryEntry]:
    """The records since ``since`` in words (newest first, at most ``limit``), each compared
    with the record before it — for the oldest of an object, its last record before ``since``
    — in one query, plus one per kind of related row named (people, …).

    ``history``: a queryset of historical records (already filtered, e.g. by organisation).
    """
    pk_attname = history.model.instance_type._meta.pk.attname
    touched = history.filter(history_date__gte=since).values(pk_attname)
    baselines = (
        history.filter(**{f"{pk_attname}__in": touched}, history_date__lt=since)
        .values(pk_attname)
        .annotate(last=Max("history_id"))
        .values("last")
    )
    records = list(
        history.filter(Q(history_date__gte=since) | Q(history_id__in=baselines))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: 2 * limit]
    )
    recent = sum(1 for r in records if r.history_date >= since)
    return history_entries(records, limit=min(recent, limit))
