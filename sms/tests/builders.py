"""One row of every tenant model of the SMS records, for the isolation sweep.

``BUILDERS = {Model: callable(org, marker) -> instance}``: each row lives in ``org`` and
carries ``marker`` in its text, so the sweep can tell whether a page of another organisation
shows it.
"""

from datetime import date
from decimal import Decimal

from itsms.models import Clause, ClauseAssessment, Role
from sms import services
from sms.models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    SmsSettings,
    Supplier,
    SupplierClause,
    TreatmentAction,
)
from tests.factories import MembershipFactory, UserFactory


def _owner(org, marker):
    email = f"{marker}-sms-owner@{org.slug}.example"
    existing = UserFactory._meta.model.objects.filter(email=email).first()
    if existing is not None:
        return existing
    user = UserFactory(email=email, full_name=f"{marker} Register Owner")
    MembershipFactory(organization=org, user=user, role=Role.CONTRIBUTOR)
    return user


def _settings(org, marker):
    return services.settings_ensure(org)


def _risk(org, marker):
    found = Risk.objects.filter(organization=org, title__startswith=marker).first()
    if found is not None:
        return found
    owner = _owner(org, marker)
    return services.risk_create(
        organization=org,
        actor=owner,
        title=f"{marker} power loss in the data centre",
        description=f"{marker} risk description",
        cause=f"{marker} cause",
        consequence=f"{marker} consequence",
        likelihood=3,
        impact=4,
        treatment="reduce",
        owner=owner,
        review_by=date(2027, 5, 10),
    )


def _action(org, marker):
    return services.action_create(
        risk=_risk(org, marker),
        actor=_owner(org, marker),
        description=f"{marker} second power feed",
        owner=_owner(org, marker),
        due_date=date(2027, 3, 1),
    )


def _objective(org, marker):
    return services.objective_create(
        organization=org,
        actor=_owner(org, marker),
        title=f"{marker} availability objective",
        measure=f"{marker} measure",
        target=Decimal("99.5"),
        unit="%",
        plan_what=f"{marker} plan",
        owner=_owner(org, marker),
        review_by=date(2027, 6, 1),
    )


def _improvement(org, marker):
    return services.improvement_create(
        organization=org,
        actor=_owner(org, marker),
        title=f"{marker} automate the change calendar",
        source="audit",
        source_reference=f"{marker} IA-2026-01",
        evaluation=f"{marker} evaluation",
        owner=_owner(org, marker),
        review_by=date(2027, 6, 1),
    )


def _supplier(org, marker):
    found = Supplier.objects.filter(organization=org, title__startswith=marker).first()
    if found is not None:
        return found
    return services.supplier_create(
        organization=org,
        actor=_owner(org, marker),
        title=f"{marker} Data Centres Ltd",
        kind="external_supplier",
        description=f"{marker} colocation",
        contact=f"{marker} contact",
        owner=_owner(org, marker),
    )


def _supplier_clause(org, marker):
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.7.2")
    assessment, _ = ClauseAssessment.objects.get_or_create(organization=org, clause=clause)
    [link] = services.supplier_set_clauses(
        supplier=_supplier(org, marker), actor=_owner(org, marker), assessments=[assessment]
    )
    return link


def _agreement(org, marker):
    found = Agreement.objects.filter(organization=org, title__startswith=marker).first()
    if found is not None:
        return found
    return services.agreement_create(
        organization=org,
        actor=_owner(org, marker),
        title=f"{marker} colocation contract",
        kind="contract",
        supplier=_supplier(org, marker),
        agreement_number=f"{marker}-C-1",
        targets=f"{marker} 99.98% power",
        owner=_owner(org, marker),
    )


def _review(org, marker):
    return services.review_record(
        agreement=_agreement(org, marker),
        actor=_owner(org, marker),
        held_on=date(2026, 1, 15),
        rating=3,
        notes=f"{marker} review notes",
        actions=f"{marker} review actions",
    )


def _document(org, marker):
    services.checklist_ensure(org)
    item = DocumentChecklistItem.objects.filter(organization=org).order_by("pk").first()
    return services.checklist_item_update(
        item=item, actor=_owner(org, marker), note=f"{marker} document note"
    )


BUILDERS = {
    SmsSettings: _settings,
    Risk: _risk,
    TreatmentAction: _action,
    Objective: _objective,
    Improvement: _improvement,
    Supplier: _supplier,
    SupplierClause: _supplier_clause,
    Agreement: _agreement,
    PerformanceReview: _review,
    DocumentChecklistItem: _document,
}
