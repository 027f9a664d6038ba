"""Who may do what in the SMS records — asked by pages, API and templates alike.

Every member reads the registers (auditors sample them; an outside auditor reads while
assigned). Consultants and admins (the roles that change the organisation) create and
change every record and the settings. A contributor changes the records they own and the
treatment actions assigned to them. Auditors and viewers change nothing. Roles are read only
through ``itsms.shared.permissions``.
"""

from __future__ import annotations

from itsms.models import Membership
from itsms.shared import permissions
from itsms.shared.permissions import Capability

#: Reading the registers.
VIEW = Capability.VIEW
#: Creating records and changing every one of them, and the settings.
MANAGE = Capability.CHANGE_ORGANIZATION
#: Changing the records (and treatment actions) one owns.
EDIT_OWN = Capability.ASSESS


def _membership(user, organization, membership: Membership | None) -> Membership | None:
    if membership is not None and membership.organization_id == organization.pk:
        return membership
    return permissions.membership_of(user, organization)


def may_manage(user, organization, membership: Membership | None = None) -> bool:
    """May the user create records and change every record of the organisation?"""
    membership = _membership(user, organization, membership)
    return membership is not None and permissions.role_allows(membership.role, MANAGE)


def may_edit(user, record, membership: Membership | None = None) -> bool:
    """May the user change this record (or treatment action)? Managers, or its owner while
    their role may edit what is assigned to them."""
    membership = _membership(user, record.organization, membership)
    if membership is None:
        return False
    if permissions.role_allows(membership.role, MANAGE):
        return True
    return (
        permissions.role_allows(membership.role, EDIT_OWN)
        and record.owner_id is not None
        and record.owner_id == user.pk
    )


def may_reassign(user, record, membership: Membership | None = None) -> bool:
    """Only managers hand a record to another owner."""
    return may_manage(user, record.organization, membership)
