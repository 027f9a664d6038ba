"""Who may change which process, KPI and service — asked by pages, API and templates alike.

Consultants and admins (the roles that may change the organisation) manage every
process, KPI and service. A contributor edits only the processes assigned to
them: the owner holds the django-guardian object permission ``CHANGE_PROCESS``,
granted when they become owner and revoked when the owner changes. Auditors and
viewers change nothing. Every check goes through ``itsms.shared.permissions``.
"""

from __future__ import annotations

from itsms.models import Membership
from itsms.shared import permissions
from itsms.shared.permissions import Capability

CHANGE_PROCESS = "processes.change_processinstance"
#: The role capability of those who manage every process, KPI and service.
MANAGE = Capability.CHANGE_ORGANIZATION
#: The role capability a member needs to edit the processes assigned to them.
EDIT_ASSIGNED = Capability.ASSESS


def _membership(user, organization, membership: Membership | None) -> Membership | None:
    """The caller's membership when it is of ``organization``, else the user's own there."""
    if membership is not None and membership.organization_id == organization.pk:
        return membership
    return permissions.membership_of(user, organization)


def may_manage(user, organization, membership: Membership | None = None) -> bool:
    """May the user manage every process, KPI and service of the organisation?"""
    membership = _membership(user, organization, membership)
    return membership is not None and permissions.role_allows(membership.role, MANAGE)


def may_edit_process(user, instance, membership: Membership | None = None) -> bool:
    """May the user edit this process instance (and its KPIs and values)?"""
    if membership is None or membership.organization_id != instance.organization_id:
        membership = permissions.membership_of(user, instance.organization)
    if membership is None:
        return False
    if permissions.role_allows(membership.role, MANAGE):
        return True
    if not permissions.role_allows(membership.role, EDIT_ASSIGNED):
        return False
    return instance.owner_id == user.pk and permissions.can_on(user, CHANGE_PROCESS, instance)


def may_manage_services(user, organization, membership: Membership | None = None) -> bool:
    return may_manage(user, organization, membership)


def editable_process_ids(user, organization, queryset, membership=None) -> set[int] | None:
    """Ids of the processes in ``queryset`` the user may edit; None means all (≤ 1 query)."""
    membership = _membership(user, organization, membership)
    if membership is None:
        return set()
    if permissions.role_allows(membership.role, MANAGE):
        return None
    if not permissions.role_allows(membership.role, EDIT_ASSIGNED):
        return set()
    mine = permissions.objects_with(user, CHANGE_PROCESS, queryset.filter(owner=user))
    return set(mine.values_list("pk", flat=True))


def sync_owner_permission(instance, previous_owner) -> None:
    """Grant the owner the change permission; withdraw it from the previous owner."""
    if previous_owner is not None and previous_owner.pk != instance.owner_id:
        permissions.revoke(previous_owner, CHANGE_PROCESS, instance)
    if instance.owner_id and (previous_owner is None or previous_owner.pk != instance.owner_id):
        permissions.grant(instance.owner, CHANGE_PROCESS, instance)
