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
from .imports import ImportKind, ImportPreview, PreviewState, RowOutcome
from .notifications import Notification, NotificationPreference
from .search import SearchDocument
from .security import KnownDevice
from .snapshots import ReadinessSnapshot
from .sso import IdentityProvider, SSODomain
from .standards import Clause, ClauseCorrelation, EditionChange, Standard
from .tenancy import Invitation, Membership, Organization, Role, TenantModel, TenantQuerySet
from .users import User

__all__ = [
    "ApiToken",
    "ImportKind",
    "ImportPreview",
    "PreviewState",
    "RowOutcome",
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
    "IdentityProvider",
    "KnownDevice",
    "NotificationPreference",
    "SSODomain",
    "SearchDocument",
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
