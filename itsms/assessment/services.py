"""Writes of the gap assessment: start, inline update, bulk assignment, the daily snapshot.

Keyword-only, atomic, validated, recorded (django-simple-history keeps who and when).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from itsms.models import (
    Clause,
    ClauseAssessment,
    GapAssessment,
    Membership,
    Organization,
    ReadinessSnapshot,
    User,
)
from itsms.notifications.services import notify
from itsms.shared import permissions, versioning
from itsms.shared.history import save_recorded

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


def _attname(name: str) -> str:
    return ClauseAssessment._meta.get_field(name).attname


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
    # With history: each clause's first record is its starting point, so the first change
    # of every clause reads "from … to …" in its history.
    bulk_create_with_history(
        [
            ClauseAssessment(organization=organization, clause=clause, updated_by=actor)
            for clause in leaf_clauses()
            if clause.pk not in existing
        ],
        ClauseAssessment,
        default_user=actor,
    )
    return gap


@transaction.atomic
def assessment_create(
    *, organization: Organization, actor: User, clause: Clause, **fields
) -> ClauseAssessment:
    """Add one requirement clause to the organisation's gap assessment (the API's create)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})
    assessment = ClauseAssessment(
        organization=organization, clause=clause, updated_by=actor, **fields
    )
    if assessment.other_party == "":
        assessment.other_party_name = ""
    save_recorded(assessment, actor)
    _sync_owner_permission(assessment, None)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: ClauseAssessment,
    actor: User,
    version=versioning.ANY,
    notify_owner: bool = True,
    **changes,
) -> ClauseAssessment:
    """Change a clause's assessment. ``version``: the one the editor loaded (required from an
    editor, ``itsms.shared.versioning``).

    A new owner is told (in-app, and by email as they prefer), unless they assigned it to
    themselves or ``notify_owner`` is False (a bulk assignment tells them once)."""
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
    before = {name: getattr(locked, _attname(name)) for name in EDITABLE_FIELDS}
    for key, value in changes.items():
        setattr(locked, key, value)
    if locked.other_party == "":
        locked.other_party_name = ""
    if before == {name: getattr(locked, _attname(name)) for name in EDITABLE_FIELDS}:
        return locked  # nothing changed: no new version, no history record
    locked.full_clean()
    locked.version += 1
    locked.updated_by = actor
    locked._history_user = actor
    locked.save()
    _sync_owner_permission(locked, previous_owner_id)
    if notify_owner and locked.owner_id and locked.owner_id != previous_owner_id:
        _notify_assigned(locked, actor)
    return locked


def _notify_assigned(assessment: ClauseAssessment, actor: User | None) -> None:
    notify(
        organization=assessment.organization,
        recipients=[assessment.owner],
        actor=actor,
        kind="clause-assigned",
        message=gettext_noop("%(actor)s assigned clause %(number)s %(title)s to you."),
        params={
            "actor": actor.get_full_name() if actor else "",
            "number": assessment.clause.number,
            "title": lambda: assessment.clause.title,
        },
        url=reverse(
            "itsms:assessment_row",
            kwargs={"org_slug": assessment.organization.slug, "pk": assessment.pk},
        ),
        email=True,
    )


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
    newly_assigned = []
    for row in rows:
        changes = {"owner": owner}
        if target_date is not None:
            changes["target_date"] = target_date
        is_new = owner is not None and row.owner_id != owner.pk
        updated = assessment_update(assessment=row, actor=actor, notify_owner=False, **changes)
        if is_new:
            newly_assigned.append(updated)
    if len(newly_assigned) == 1:
        _notify_assigned(newly_assigned[0], actor)
    elif newly_assigned:
        notify(
            organization=organization,
            recipients=[owner],
            actor=actor,
            kind="clause-assigned",
            message=gettext_noop(
                "%(actor)s assigned %(count)s clauses under %(number)s %(title)s to you."
            ),
            params={
                "actor": actor.get_full_name() if actor else "",
                "count": len(newly_assigned),
                "number": heading.number,
                "title": lambda: heading.title,
            },
            url=reverse("itsms:my_work", kwargs={"org_slug": organization.slug}),
            email=True,
        )
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
