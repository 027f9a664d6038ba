"""Core models: users, organisations (tenants), memberships, invitations, the clause tree."""

from .standards import Clause, ClauseCorrelation, Standard
from .tenancy import Invitation, Membership, Organization, Role, TenantModel
from .users import User

__all__ = [
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
