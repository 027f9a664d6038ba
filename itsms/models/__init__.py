"""Core models: users, organisations (tenants), memberships, invitations, the clause tree."""

from .assessment import ClauseAssessment, GapAssessment, OtherParty, Status
from .standards import Clause, ClauseCorrelation, Standard
from .tenancy import Invitation, Membership, Organization, Role, TenantModel
from .users import User

__all__ = [
    "ClauseAssessment",
    "GapAssessment",
    "OtherParty",
    "Status",
    "Clause",
    "ClauseCorrelation",
    "Invitation",
    "Membership",
    "Organization",
    "Role",
    "Standard",
    "TenantModel",
    "User",
]
