"""Writes of suppliers and agreements, the clauses a supplier operates, performance reviews.

A supplier operating a clause points the clause's "operated by" at it: the assessment's kind
of other party and name are set through the gap assessment's own service (recorded there
too), so the assessment reads as before wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itsms.assessment import services as assessment_services
from itsms.models import ClauseAssessment, Organization, User
from itsms.shared import versioning
from itsms.shared.history import save_recorded

from ..models import Agreement, PerformanceReview, Supplier, SupplierClause
from .records import record_create, record_update

SUPPLIER_FIELDS = ("title", "description", "owner", "review_by", "status", "kind", "contact")
AGREEMENT_FIELDS = (
    "title",
    "description",
    "owner",
    "review_by",
    "status",
    "kind",
    "supplier",
    "customer",
    "agreement_number",
    "starts_on",
    "ends_on",
    "targets",
)


def supplier_create(*, organization: Organization, actor: User, links=None, **fields) -> Supplier:
    return record_create(
        model=Supplier,
        allowed=SUPPLIER_FIELDS,
        organization=organization,
        actor=actor,
        links=links,
        **fields,
    )


@transaction.atomic
def supplier_update(
    *, supplier: Supplier, actor: User, version=versioning.ANY, links=None, **changes
) -> Supplier:
    """Change a supplier; the clauses it operates follow a new name or kind."""
    updated = record_update(
        record=supplier,
        allowed=SUPPLIER_FIELDS,
        actor=actor,
        version=version,
        links=links,
        **changes,
    )
    for link in updated.operations.select_related("assessment"):
        _point_at(link.assessment, updated, actor)
    return updated


def _point_at(assessment: ClauseAssessment, supplier: Supplier, actor: User) -> None:
    if (assessment.other_party, assessment.other_party_name) != (supplier.kind, supplier.title):
        assessment_services.assessment_update(
            assessment=assessment,
            actor=actor,
            other_party=supplier.kind,
            other_party_name=supplier.title[:200],
        )


@transaction.atomic
def supplier_set_clauses(
    *, supplier: Supplier, actor: User, assessments: Iterable[ClauseAssessment]
) -> list[SupplierClause]:
    """The clause assessments the supplier operates, replacing the previous list.

    A clause operated by another supplier of the list moves to this one; a clause no longer
    operated by it goes back to "the organisation itself".
    """
    supplier = Supplier.objects.get(pk=supplier.pk)  # its name and kind as stored now
    wanted = {a.pk: a for a in assessments}
    if any(a.organization_id != supplier.organization_id for a in wanted.values()):
        raise ValidationError({"assessments": _("Choose clauses of this organisation.")})
    current = {
        link.assessment_id: link for link in supplier.operations.select_related("assessment")
    }
    for assessment_id, link in current.items():
        if assessment_id not in wanted:
            link._history_user = actor
            link.delete()
            assessment = link.assessment
            if (assessment.other_party, assessment.other_party_name) == (
                supplier.kind,
                supplier.title[:200],
            ):
                assessment_services.assessment_update(
                    assessment=assessment, actor=actor, other_party="", other_party_name=""
                )
    links = []
    for assessment in wanted.values():
        link = current.get(assessment.pk)
        if link is None:
            link = SupplierClause.objects.filter(assessment=assessment).first()
            if link is None:
                link = SupplierClause(
                    organization_id=supplier.organization_id, assessment=assessment
                )
            link.supplier = supplier
            save_recorded(link, actor)
        _point_at(assessment, supplier, actor)
        links.append(link)
    return links


def agreement_create(*, organization: Organization, actor: User, links=None, **fields) -> Agreement:
    return record_create(
        model=Agreement,
        allowed=AGREEMENT_FIELDS,
        organization=organization,
        actor=actor,
        links=links,
        **fields,
    )


def agreement_update(
    *, agreement: Agreement, actor: User, version=versioning.ANY, links=None, **changes
) -> Agreement:
    return record_update(
        record=agreement,
        allowed=AGREEMENT_FIELDS,
        actor=actor,
        version=version,
        links=links,
        **changes,
    )


@transaction.atomic
def review_record(
    *,
    agreement: Agreement,
    actor: User,
    held_on: date,
    rating: int,
    notes: str = "",
    actions: str = "",
    next_review_by: date | None = None,
) -> PerformanceReview:
    """Record a performance review of an agreement; optionally set the next review date."""
    today = agreement.organization.local_today()
    if held_on and held_on > today:
        raise ValidationError({"held_on": _("A review is recorded once it has been held.")})
    if next_review_by is not None and held_on and next_review_by <= held_on:
        raise ValidationError({"next_review_by": _("The next review comes after this one.")})
    review = save_recorded(
        PerformanceReview(
            organization_id=agreement.organization_id,
            agreement=agreement,
            held_on=held_on,
            rating=rating,
            notes=notes,
            actions=actions,
            recorded_by=actor,
        ),
        actor,
    )
    if next_review_by is not None:
        agreement_update(agreement=agreement, actor=actor, review_by=next_review_by)
    return review
