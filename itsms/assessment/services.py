"""Writes of the gap assessment: start, inline update, bulk assignment, the daily snapshot.

Keyword-only, atomic, validated, recorded (django-simple-history keeps who and when).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from itsms.models import (
    Clause,
    ClauseAssessment,
    GapAssessment,
    Membership,
    Organization,
    ReadinessSnapshot,
    User,
)
from itsms.shared import permissions, versioning

from . import readiness
from .selectors import CHANGE_PERM, evidenced_readiness_of, leaf_clauses, leaf_numbers

EDITABLE_FIELDS = (
    "status",
    "maturity",
    "owner",
    "target_date",
    "notes",
    "other_party",
    "other_party_name",
)


#: A stale version (``itsms.shared.versioning``): the API answers 409, pages show the conflict.
StaleEdit = versioning.StaleVersion


def _sync_owner_permission(assessment: ClauseAssessment, previous_owner_id: int | None) -> None:
    """Grant the change permission to a contributor owner; withdraw it from the previous one."""
    if previous_owner_id and previous_owner_id != assessment.owner_id:
        previous = User.objects.filter(pk=previous_owner_id).first()
        if previous is not None:
            permissions.revoke(previous, CHANGE_PERM, assessment)
    if assessment.owner_id and assessment.owner_id != previous_owner_id:
        permissions.grant(assessment.owner, CHANGE_PERM, assessment)


@transaction.atomic
def gap_assessment_start(*, organization: Organization, actor: User) -> GapAssessment:
    """Start (idempotently) the gap assessment: one row per requirement clause."""
    gap, _created = GapAssessment.objects.get_or_create(
        organization=organization, defaults={"started_by": actor}
    )
    existing = set(
        ClauseAssessment.objects.filter(organization=organization).values_list(
            "clause_id", flat=True
        )
    )
    ClauseAssessment.objects.bulk_create(
        [
            ClauseAssessment(organization=organization, clause=clause, updated_by=actor)
            for clause in leaf_clauses()
            if clause.pk not in existing
        ]
    )
    return gap


@transaction.atomic
def assessment_update(
    *, assessment: ClauseAssessment, actor: User, version=versioning.ANY, **changes
) -> ClauseAssessment:
    """Change a clause's assessment. ``version``: the one the editor loaded (required from an
    editor, ``itsms.shared.versioning``)."""
    locked = ClauseAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    versioning.check(
        locked,
        version,
        message=lambda: (
            _(
                "%(number)s was changed by %(who)s since you opened it; nothing was overwritten. "
                "Reload to see their change."
            )
            % {"number": locked.clause.number, "who": locked.updated_by or _("someone")}
        ),
    )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})
    previous_owner_id = locked.owner_id
    for key, value in changes.items():
        setattr(locked, key, value)
    if locked.other_party == "":
        locked.other_party_name = ""
    locked.full_clean()
    locked.version += 1
    locked.updated_by = actor
    locked._history_user = actor
    locked.save()
    _sync_owner_permission(locked, previous_owner_id)
    return locked


@transaction.atomic
def assessment_bulk_assign(
    *,
    organization: Organization,
    actor: User,
    heading: Clause,
    owner: User | None,
    target_date=None,
) -> int:
    """Give every requirement clause under ``heading`` the same owner (and target date)."""
    if (
        owner is not None
        and not Membership.objects.filter(organization=organization, user=owner).exists()
    ):
        raise ValidationError({"owner": _("The owner must be a member of the organisation.")})
    prefix = heading.number + "."
    rows = list(
        ClauseAssessment.objects.select_for_update(of=("self",))
        .filter(organization=organization)
        .filter(Q(clause__number__startswith=prefix) | Q(clause=heading))
        .select_related("clause")
    )
    if not rows:
        raise ValidationError({"heading": _("No requirement clauses under this heading.")})
    for row in rows:
        changes = {"owner": owner}
        if target_date is not None:
            changes["target_date"] = target_date
        assessment_update(assessment=row, actor=actor, **changes)
    return len(rows)


def snapshot_readiness(organization: Organization) -> None:
    """Record today's readiness (in the organisation's time zone) for the dashboard's trend."""
    if not ClauseAssessment.objects.filter(organization=organization).exists():
        return
    statuses = dict(
        ClauseAssessment.objects.filter(organization=organization).values_list(
            "clause__number", "status"
        )
    )
    ReadinessSnapshot.objects.update_or_create(
        organization=organization,
        day=organization.local_today(),
        defaults={
            "self_assessed": readiness.compute(leaf_numbers(), statuses).overall_percent,
            "evidenced": evidenced_readiness_of(organization, statuses).overall_percent,
        },
    )
