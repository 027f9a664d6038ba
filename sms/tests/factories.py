"""Rows of the SMS records for tests, written through the services (history and numbering as
in the product)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from itsms.models import Role
from sms import services
from tests.factories import MembershipFactory, UserFactory


def member(org, email, role=Role.CONTRIBUTOR, name=""):
    user = UserFactory(email=email, full_name=name or email.split("@")[0])
    MembershipFactory(organization=org, user=user, role=role)
    return user


def risk(org, actor, **fields):
    values = {"title": "Data centre power loss", "likelihood": 3, "impact": 4}
    values.update(fields)
    return services.risk_create(organization=org, actor=actor, **values)


def objective(org, actor, **fields):
    values = {"title": "Availability of online banking", "target": Decimal("99.9"), "unit": "%"}
    values.update(fields)
    return services.objective_create(organization=org, actor=actor, **values)


def supplier(org, actor, **fields):
    values = {"title": "Harbour Data Centres Ltd", "kind": "external_supplier"}
    values.update(fields)
    return services.supplier_create(organization=org, actor=actor, **values)


def agreement(org, actor, supplier_row=None, **fields):
    supplier_row = supplier_row or supplier(org, actor)
    values = {
        "title": "Colocation contract",
        "kind": "contract",
        "supplier": supplier_row,
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2027, 12, 31),
    }
    values.update(fields)
    return services.agreement_create(organization=org, actor=actor, **values)


def improvement(org, actor, **fields):
    values = {"title": "Automate the change calendar", "source": "staff"}
    values.update(fields)
    return services.improvement_create(organization=org, actor=actor, **values)
