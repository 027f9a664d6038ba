"""Writes of the 7.5.4 checklist: the rows of an organisation, and the evidence each is."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itsms.models import Evidence, Organization, User
from itsms.shared import versioning
from itsms.shared.history import save_recorded

from ..models import DocumentChecklistItem, DocumentRequirement


def checklist_ensure(organization: Organization) -> int:
    """Create the organisation's missing checklist rows (idempotent); returns how many."""
    existing = set(
        DocumentChecklistItem.objects.filter(organization=organization).values_list(
            "requirement_id", flat=True
        )
    )
    missing = [
        DocumentChecklistItem(organization=organization, requirement_id=pk)
        for pk in DocumentRequirement.objects.values_list("pk", flat=True)
        if pk not in existing
    ]
    if missing:
        # ignore_conflicts: two first visits at once create each row once.
        DocumentChecklistItem.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def checklist_item_update(
    *,
    item: DocumentChecklistItem,
    actor: User,
    version=versioning.ANY,
    evidence: Iterable[Evidence] | None = None,
    note: str | None = None,
) -> DocumentChecklistItem:
    """Link the evidence items that are this document (and a note); ``version`` guards
    against lost updates."""
    locked = DocumentChecklistItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    versioning.check(locked, version, what=locked.requirement)
    chosen = None if evidence is None else list(evidence)
    if chosen is not None:
        if any(e.organization_id != locked.organization_id for e in chosen):
            raise ValidationError({"evidence": _("Choose evidence of this organisation.")})
        if any(e.deleted_at for e in chosen):
            raise ValidationError({"evidence": _("Deleted evidence cannot be linked.")})
        locked.links = {"evidence": sorted(e.title for e in chosen)}
    if note is not None:
        locked.note = note
    locked.version += 1
    save_recorded(locked, actor)
    if chosen is not None:
        locked.evidence.set(chosen)
    return locked
