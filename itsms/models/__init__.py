"""Core models: users, organisations (tenants), memberships, invitations, the clause tree,
evidence documents, notifications."""

from .accounts import ApiToken
from .assessment import ClauseAssessment, GapAssessment, OtherParty, Status
from .evidence import (
    Confidentiality,
    DocumentStatus,
    Evidence,
    EvidenceKind,
    EvidenceVersion,
)
from .imports import ImportKind, ImportPreview, PreviewState, RowOutcome
from .notifications import Notification, NotificationPreference
from .snapshots import ReadinessSnapshot
from .standards import Clause, ClauseCorrelation, EditionChange, Standard
from .tenancy import Invitation, Membership, Organization, Role, TenantModel, TenantQuerySet
from .users import User

__all__ = [
    "ApiToken",
    "ImportKind",
    "ImportPreview",
    "PreviewState",
    "RowOutcome",
    "ReadinessSnapshot",
    "Confidentiality",
    "DocumentStatus",
    "Evidence",
    "EvidenceKind",
    "EvidenceVersion",
    "Notification",
    "NotificationPreference",
    "ClauseAssessment",
    "GapAssessment",
    "OtherParty",
    "Status",
    "Clause",
    "ClauseCorrelation",
    "EditionChange",
    "Invitation",
    "Membership",
    "Organization",
    "Role",
    "Standard",
    "TenantModel",
    "TenantQuerySet",
    "User",
]
