"""Audit programme: certification bodies, audits, plans, notes, findings, corrective actions."""

from .audit import Audit, AuditAssignment, AuditKind, AuditStatus, CertificationBody, PlanSession
from .evidence_links import ActionEvidence, FindingEvidence
from .finding import ActionState, AuditNote, CorrectiveAction, Finding, Grade
from .invitation import AuditInvitation
from .pack import AuditPack, PackStatus

__all__ = [
    "ActionEvidence",
    "ActionState",
    "Audit",
    "AuditAssignment",
    "AuditInvitation",
    "AuditKind",
    "AuditNote",
    "AuditPack",
    "AuditStatus",
    "CertificationBody",
    "CorrectiveAction",
    "Finding",
    "FindingEvidence",
    "Grade",
    "PackStatus",
    "PlanSession",
]
