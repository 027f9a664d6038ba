"""Keep the index in step with the data: each registered kind's ``watch`` on the model signals.

Saves and deletes of a watched model refresh the documents they name, in the same transaction
as the change (a rolled-back save leaves the index as it was). Fixture loading (``raw``) and
deletions that cascade from a deleted organisation (its documents go with it) are skipped.
Bulk writes send no signals: code that bulk-creates searchable rows calls
``services.refresh`` itself, and ``rebuild_search_index`` repairs anything else.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from itsms.models import Organization

_connected: set[tuple[str, type, str]] = set()


def _refresh(kind, targets):
    from . import services

    targets = [t for t in targets or () if t]
    if targets:
        services.refresh(kind, targets)


def connect(kind) -> None:
    for model, targets_of in kind.watch.items():
        key = (kind.key, model, "save")
        if key in _connected:
            continue
        _connected.add(key)

        def on_save(sender, instance, created=False, raw=False, _targets=targets_of, **kwargs):
            if not raw:
                _refresh(kind, _targets(instance, created))

        def on_delete(sender, instance, origin=None, _targets=targets_of, **kwargs):
            if isinstance(origin, Organization):
                return  # the organisation's documents are deleted with it
            _refresh(kind, _targets(instance, False))

        uid = f"search:{kind.key}:{model._meta.label}"
        post_save.connect(on_save, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(on_delete, sender=model, weak=False, dispatch_uid=uid + ":delete")
    for through, targets_of in kind.watch_m2m.items():
        key = (kind.key, through, "m2m")
        if key in _connected:
            continue
        _connected.add(key)

        def on_m2m(sender, instance, action, reverse, pk_set, _targets=targets_of, **kwargs):
            if action in ("post_add", "post_remove", "post_clear"):
                _refresh(kind, _targets(instance, pk_set or (), reverse))

        uid = f"search:{kind.key}:{through._meta.label}:m2m"
        m2m_changed.connect(on_m2m, sender=through, weak=False, dispatch_uid=uid)
