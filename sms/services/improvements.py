"""Writes of the improvement register (10.2)."""

from __future__ import annotations

from itsms.models import Organization, User
from itsms.shared import versioning

from ..models import Improvement
from .records import record_create, record_update

IMPROVEMENT_FIELDS = (
    "title",
    "description",
    "owner",
    "review_by",
    "status",
    "source",
    "source_reference",
    "raised_on",
    "evaluation",
    "benefit",
    "decision",
    "decided_on",
    "target_date",
    "implemented_on",
    "review_notes",
    "reviewed_on",
)


def _dated(organization: Organization, status: str | None, fields: dict, current=None) -> dict:
    """The day of a decision and of a review, when the status reaches it and none is given."""
    if status is None:
        return fields
    today = organization.local_today()

    def given(name):
        return fields.get(name) or (getattr(current, name) if current is not None else None)

    if status in Improvement.DECIDED_STATUSES and not given("decided_on"):
        fields["decided_on"] = today
    if status == Improvement.Status.REVIEWED and not given("reviewed_on"):
        fields["reviewed_on"] = today
    return fields


def improvement_create(
    *, organization: Organization, actor: User, links=None, **fields
) -> Improvement:
    """Record an opportunity for improvement (10.2), from whatever source."""
    if not fields.get("raised_on"):
        fields["raised_on"] = organization.local_today()
    fields = _dated(organization, fields.get("status"), fields)
    return record_create(
        model=Improvement,
        allowed=IMPROVEMENT_FIELDS,
        organization=organization,
        actor=actor,
        links=links,
        **fields,
    )


def improvement_update(
    *, improvement: Improvement, actor: User, version=versioning.ANY, links=None, **changes
) -> Improvement:
    changes = _dated(improvement.organization, changes.get("status"), changes, improvement)
    return record_update(
        record=improvement,
        allowed=IMPROVEMENT_FIELDS,
        actor=actor,
        version=version,
        links=links,
        **changes,
    )
