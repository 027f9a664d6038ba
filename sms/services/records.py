"""Writes every register shares: create with the next number, update with optimistic locking,
links checked against the organisation and kept as a readable snapshot in the history.

Keyword-only, atomic, validated (``full_clean``), recorded (the actor is the history user).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from itsms.models import Clause, Organization, User
from itsms.shared import versioning
from itsms.shared.history import save_recorded
from itsms.standards.reference import PRIMARY

from ..models import LINK_FIELDS, SmsRecord

#: Someone saved the row since this edit was loaded; nothing was overwritten (the project's one
#: versioning rule, ``itsms.shared.versioning``).
StaleEdit = versioning.StaleVersion


def check_fields(changes: dict, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in sorted(unknown)})


def check_links(organization: Organization, links: dict) -> None:
    """Every linked process, service and evidence item is the organisation's; clauses are of
    ISO/IEC 20000-1:2018."""
    errors = {}
    for name in ("processes", "services", "evidence"):
        if any(obj.organization_id != organization.pk for obj in links.get(name) or ()):
            errors[name] = _("Choose rows of this organisation.")
    if any(getattr(e, "deleted_at", None) for e in links.get("evidence") or ()):
        errors["evidence"] = _("Deleted evidence cannot be linked.")
    clauses = list(links.get("clauses") or ())
    if clauses:
        primary = set(
            Clause.objects.filter(
                pk__in=[c.pk for c in clauses], standard__code=PRIMARY
            ).values_list("pk", flat=True)
        )
        if any(c.pk not in primary for c in clauses):
            errors["clauses"] = _("Choose clauses of ISO/IEC 20000-1:2018.")
    if errors:
        raise ValidationError(errors)


def snapshot(links: dict) -> dict:
    """What the links read as, for the history: clause numbers, process numbers, names."""
    shown = {}
    for name, objects in links.items():
        if name == "clauses":
            shown[name] = sorted((c.number for c in objects), key=_clause_key)
        elif name == "processes":
            shown[name] = sorted((p.clause.number for p in objects), key=_clause_key)
        elif name == "evidence":
            shown[name] = sorted(e.title for e in objects)
        else:
            shown[name] = sorted(str(o) for o in objects)
    return shown


def _clause_key(number: str):
    return [int(part) if part.isdigit() else part for part in number.split(".")]


def _given(links: dict) -> dict:
    return {k: list(v) for k, v in links.items() if v is not None}


def _current_links(record, names) -> dict:
    related = {"processes": ("clause",)}
    return {
        name: list(getattr(record, name).select_related(*related.get(name, ()))) for name in names
    }


def save_new_numbered(record, actor: User):
    """Save a new row with the next number of its register in the organisation. Two creates
    at once: the second takes the next number (the unique constraint decides)."""
    model = type(record)
    for _attempt in range(5):
        top = model._default_manager.filter(organization_id=record.organization_id).aggregate(
            n=Max("number")
        )["n"]
        record.number = (top or 0) + 1
        try:
            with transaction.atomic():
                return save_recorded(record, actor)
        except (IntegrityError, ValidationError) as exc:
            if isinstance(exc, ValidationError) and "__all__" not in exc.message_dict:
                raise
            if not model._default_manager.filter(
                organization_id=record.organization_id, number=record.number
            ).exists():
                raise
    raise ValidationError(_("Could not number the record; try again."))


@transaction.atomic
def record_create(
    *,
    model: type[SmsRecord],
    allowed: Iterable[str],
    organization: Organization,
    actor: User,
    links: dict | None = None,
    **fields,
) -> SmsRecord:
    """A new row of a register, numbered, with its links."""
    check_fields(fields, allowed)
    given = _given(links or {})
    check_links(organization, given)
    record = model(organization=organization, **fields)
    record.links = snapshot({name: given.get(name, []) for name in LINK_FIELDS})
    save_new_numbered(record, actor)
    for name, objects in given.items():
        getattr(record, name).set(objects)
    return record


@transaction.atomic
def record_update(
    *,
    record: SmsRecord,
    allowed: Iterable[str],
    actor: User,
    version=versioning.ANY,
    links: dict | None = None,
    **changes,
) -> SmsRecord:
    """Change a row. ``version``: the one the editor loaded (``ANY`` only for the app's own
    writes); none is a ValidationError, a stale one raises ``StaleEdit``; nothing changes."""
    check_fields(changes, allowed)
    model = type(record)
    locked = model._default_manager.select_for_update(of=("self",)).get(pk=record.pk)
    versioning.check(locked, version, what=locked.reference)
    given = _given(links or {})
    check_links(locked.organization, given)
    for key, value in changes.items():
        setattr(locked, key, value)
    if given:
        current = _current_links(locked, [n for n in LINK_FIELDS if n not in given])
        locked.links = snapshot({**current, **given})
    locked.version += 1
    save_recorded(locked, actor)
    for name, objects in given.items():
        getattr(locked, name).set(objects)
    return locked
