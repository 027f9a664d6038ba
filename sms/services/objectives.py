"""Writes of the objectives register."""

from __future__ import annotations

from itsms.models import Organization, User
from itsms.shared import versioning

from ..models import Objective
from .records import record_create, record_update

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "owner",
    "review_by",
    "status",
    "measure",
    "kpi",
    "target",
    "unit",
    "direction",
    "current_value",
    "due_date",
    "plan_what",
    "plan_resources",
    "plan_responsible",
    "plan_when",
    "plan_evaluation",
)


def objective_create(*, organization: Organization, actor: User, links=None, **fields) -> Objective:
    """Set a service management objective with its plan (6.2)."""
    return record_create(
        model=Objective,
        allowed=OBJECTIVE_FIELDS,
        organization=organization,
        actor=actor,
        links=links,
        **fields,
    )


def objective_update(
    *, objective: Objective, actor: User, version=versioning.ANY, links=None, **changes
) -> Objective:
    return record_update(
        record=objective,
        allowed=OBJECTIVE_FIELDS,
        actor=actor,
        version=version,
        links=links,
        **changes,
    )
