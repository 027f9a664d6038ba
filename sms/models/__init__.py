"""Models of the SMS records, one module per register (``base`` holds what they share)."""

from .base import LINK_FIELDS, SmsRecord
from .documents import DocumentChecklistItem, DocumentRequirement, DocumentState
from .improvements import Benefit, Improvement, ImprovementSource
from .objectives import Direction, Objective
from .risks import (
    ActionStatus,
    Risk,
    RiskCategory,
    RiskKind,
    Treatment,
    TreatmentAction,
    TreatmentState,
)
from .settings import RiskLevel, SmsSettings
from .suppliers import (
    AGREEMENT_PARTIES,
    Agreement,
    AgreementKind,
    PerformanceReview,
    Rating,
    Supplier,
    SupplierClause,
    SupplierKind,
)

__all__ = [
    "AGREEMENT_PARTIES",
    "LINK_FIELDS",
    "ActionStatus",
    "Benefit",
    "Improvement",
    "ImprovementSource",
    "Agreement",
    "AgreementKind",
    "Direction",
    "DocumentChecklistItem",
    "DocumentRequirement",
    "DocumentState",
    "Objective",
    "PerformanceReview",
    "Rating",
    "Risk",
    "RiskCategory",
    "RiskKind",
    "RiskLevel",
    "SmsRecord",
    "SmsSettings",
    "Supplier",
    "SupplierClause",
    "SupplierKind",
    "Treatment",
    "TreatmentAction",
    "TreatmentState",
]
