"""Reads of the SMS records, each in a constant number of queries (one module per register).

For the stage-2 gate (built on top of these in the same app): ``documents_state`` /
``all_documents_present_and_approved`` (7.5.4), ``risks_state`` (risks assessed and treated),
``objectives_set``.
"""

from .documents import all_documents_present_and_approved, checklist, documents_state
from .improvements import improvement_list
from .objectives import objective_list, with_measurement
from .records import members_of, record_list
from .risks import heat_map, risk_list, risks_state
from .settings import settings_of
from .summary import objectives_set, register_counts
from .suppliers import agreement_list, supplier_list

__all__ = [
    "agreement_list",
    "all_documents_present_and_approved",
    "checklist",
    "documents_state",
    "heat_map",
    "members_of",
    "improvement_list",
    "objective_list",
    "objectives_set",
    "record_list",
    "register_counts",
    "risk_list",
    "risks_state",
    "settings_of",
    "supplier_list",
    "with_measurement",
]
