"""Writes of the risk register: risks and opportunities, their treatment actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itsms.models import Organization, User
from itsms.shared import versioning
from itsms.shared.history import save_recorded

from ..models import ActionStatus, Risk, TreatmentAction
from .records import check_fields, record_create, record_update

RISK_FIELDS = (
    "title",
    "description",
    "owner",
    "review_by",
    "status",
    "kind",
    "category",
    "cause",
    "consequence",
    "likelihood",
    "impact",
    "treatment",
    "treatment_notes",
    "residual_likelihood",
    "residual_impact",
)
ACTION_FIELDS = ("description", "owner", "due_date", "status", "completed_on")


def risk_create(*, organization: Organization, actor: User, links=None, **fields) -> Risk:
    """Record a risk or an opportunity, scored on the organisation's scale."""
    return record_create(
        model=Risk,
        allowed=RISK_FIELDS,
        organization=organization,
        actor=actor,
        links=links,
        **fields,
    )


def risk_update(*, risk: Risk, actor: User, version=versioning.ANY, links=None, **changes) -> Risk:
    return record_update(
        record=risk, allowed=RISK_FIELDS, actor=actor, version=version, links=links, **changes
    )


def _completion(action: TreatmentAction, today) -> None:
    """A done action has its completion date (today by default); any other has none."""
    if action.status == ActionStatus.DONE:
        action.completed_on = action.completed_on or today
    else:
        action.completed_on = None


@transaction.atomic
def action_create(*, risk: Risk, actor: User, **fields) -> TreatmentAction:
    """Add an action to a risk's treatment."""
    check_fields(fields, ACTION_FIELDS)
    action = TreatmentAction(organization_id=risk.organization_id, risk=risk, **fields)
    _completion(action, risk.organization.local_today())
    return save_recorded(action, actor)


@transaction.atomic
def action_update(
    *, action: TreatmentAction, actor: User, version=versioning.ANY, **changes
) -> TreatmentAction:
    """Change a treatment action; ``version`` guards against lost updates."""
    check_fields(changes, ACTION_FIELDS)
    locked = TreatmentAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    versioning.check(locked, version, what=_("This action"))
    for key, value in changes.items():
        setattr(locked, key, value)
    _completion(locked, locked.organization.local_today())
    locked.version += 1
    return save_recorded(locked, actor)


def check_risk(risk: Risk, organization: Organization) -> None:
    if risk.organization_id != organization.pk:
        raise ValidationError({"risk": _("The risk belongs to another organisation.")})
