"""Writes of the SMS records (one module per register; ``records`` holds what they share)."""

from .documents import checklist_ensure, checklist_item_update
from .improvements import IMPROVEMENT_FIELDS, improvement_create, improvement_update
from .objectives import OBJECTIVE_FIELDS, objective_create, objective_update
from .records import StaleEdit, record_create, record_update
from .risks import (
    ACTION_FIELDS,
    RISK_FIELDS,
    action_create,
    action_update,
    risk_create,
    risk_update,
)
from .settings import SETTINGS_FIELDS, settings_ensure, settings_update
from .suppliers import (
    AGREEMENT_FIELDS,
    SUPPLIER_FIELDS,
    agreement_create,
    agreement_update,
    review_record,
    supplier_create,
    supplier_set_clauses,
    supplier_update,
)

__all__ = [
    "ACTION_FIELDS",
    "AGREEMENT_FIELDS",
    "IMPROVEMENT_FIELDS",
    "OBJECTIVE_FIELDS",
    "RISK_FIELDS",
    "SETTINGS_FIELDS",
    "SUPPLIER_FIELDS",
    "StaleEdit",
    "action_create",
    "action_update",
    "agreement_create",
    "agreement_update",
    "checklist_ensure",
    "checklist_item_update",
    "improvement_create",
    "improvement_update",
    "objective_create",
    "objective_update",
    "record_create",
    "record_update",
    "review_record",
    "risk_create",
    "risk_update",
    "settings_ensure",
    "settings_update",
    "supplier_create",
    "supplier_set_clauses",
    "supplier_update",
]
