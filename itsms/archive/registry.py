"""Which rows an organisation archive holds, found in the app registry (nothing is listed by
hand, so a new tenant model is archived the day it is added).

- Every concrete ``TenantModel`` of every installed app, unless its class says
  ``archive_excluded = "<why>"`` (build artefacts: export jobs).
- Their history rows (django-simple-history), and the organisation's own.
- The many-to-many links of those models (the automatic link tables).
- django-guardian's object permissions on the organisation and its rows (an outside
  auditor's access while assigned).
- The users they name, matched by email on import; the reference data they name (clauses),
  matched by natural key (``natural_key()`` / ``get_by_natural_key``).

What a model declares for the archive (class attributes, read here without importing any app):

- ``archive_excluded``: why it is left out.
- ``archive_pointers = {"subject_id": ("subject_type", {"certificate": "app.Model", ...})}``:
  an id that points at another row by a type column instead of a foreign key.
- ``archive_regenerate = ("token_hash",)``: values unique across the instance (secret token
  hashes) that an import replaces with fresh random ones: a copy never shares a live link.
- ``archive_urls = ("url",)``: links into the product, rewritten to the new organisation's
  address and ids.
- ``archive_file_hashes = {"file": "sha256"}``: the field recording each file's SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models

from itsms.models import Organization, TenantModel


def label(model) -> str:
    return model._meta.label_lower


def is_tenant(model) -> bool:
    return isinstance(model, type) and issubclass(model, TenantModel)


def tenant_models() -> list[type[models.Model]]:
    """Every concrete tenant model (history shadow models are not tenant models)."""
    return [
        model
        for model in apps.get_models()
        if is_tenant(model) and not model._meta.abstract and not model._meta.proxy
    ]


def excluded_models() -> dict[type[models.Model], str]:
    return {m: m.archive_excluded for m in tenant_models() if getattr(m, "archive_excluded", "")}


def archived_models() -> list[type[models.Model]]:
    """The tenant models an archive holds, parents before children."""
    return order_by_dependencies([m for m in tenant_models() if m not in excluded_models()])


def history_model(model):
    """The django-simple-history model of ``model``, or None."""
    manager = getattr(model, "history", None)
    historical = getattr(manager, "model", None)
    if historical is None or historical is model:
        return None
    return historical


def auto_m2m_fields(model) -> list[models.ManyToManyField]:
    """Many-to-many fields whose link table Django made (custom link models are tenant models
    in their own right)."""
    return [f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created]


def relations(model) -> list[models.ForeignKey]:
    """The model's foreign keys (and one-to-ones)."""
    return [
        f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def is_user_model(model) -> bool:
    return label(model) == settings.AUTH_USER_MODEL.lower()


def target_kind(field) -> str:
    """What a foreign key points at: "organization", "user", "tenant", "excluded" or "global"."""
    target = field.related_model
    if target is Organization:
        return "organization"
    if is_user_model(target):
        return "user"
    if is_tenant(target):
        return "excluded" if getattr(target, "archive_excluded", "") else "tenant"
    return "global"


def order_by_dependencies(found: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """Parents first: a model comes after the archived models its foreign keys point at.
    Where keys run in a circle (evidence and its current version), only the required
    (non-null) keys count; the nullable ones are set once every row is in."""
    found = list(found)
    members = set(found)

    def targets(model, required_only):
        found = {
            f.related_model
            for f in relations(model)
            if f.related_model in members
            and f.related_model is not model
            and not (required_only and f.null)
        }
        if not required_only:  # a pointer's rows are mapped when they are read
            for _type_field, kinds in pointers(model).values():
                found |= {apps.get_model(target) for target in kinds.values()} & members
        return found

    every = {model: targets(model, False) for model in found}
    required = {model: targets(model, True) for model in found}
    ordered, placed = [], set()
    while len(ordered) < len(found):
        waiting = [m for m in found if m not in placed]
        ready = [m for m in waiting if every[m] <= placed]
        if not ready:
            ready = [m for m in waiting if required[m] <= placed][:1]
        if not ready:
            cycle = ", ".join(label(m) for m in waiting)
            raise RuntimeError(f"required foreign keys run in a circle between: {cycle}")
        for model in ready:
            ordered.append(model)
            placed.add(model)
    return ordered


def pointers(model) -> dict[str, tuple[str, dict[str, str]]]:
    return dict(getattr(model, "archive_pointers", {}) or {})


def regenerated(model) -> tuple[str, ...]:
    return tuple(getattr(model, "archive_regenerate", ()) or ())


def url_fields(model) -> tuple[str, ...]:
    return tuple(getattr(model, "archive_urls", ()) or ())


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def file_hash_field(model, field_name: str) -> str | None:
    return (getattr(model, "archive_file_hashes", {}) or {}).get(field_name)


def unique_fields(model) -> list[str]:
    """Fields unique across the whole instance (not per organisation or per parent row)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key and not f.is_relation
    ]
