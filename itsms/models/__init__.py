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
from .exports import ExportJob, ExportStatus, OrganizationArchive
from .notifications import Notification, NotificationPreference
from .snapshots import ReadinessSnapshot
from .standards import Clause, ClauseCorrelation, EditionChange, Standard
from .tenancy import Invitation, Membership, Organization, Role, TenantModel
from .users import User

__all__ = [
    "ApiToken",
    "ExportJob",
    "ExportStatus",
    "OrganizationArchive",
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
    "User",
]
