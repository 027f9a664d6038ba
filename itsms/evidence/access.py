"""Who may read and change an organisation's evidence.

- Consultants, admins, contributors and viewers of the organisation read its evidence by
  their role (``Capability.VIEW``).
- Auditors read evidence only of organisations whose audits they are assigned to. That is
  an object permission on the ``Organization``, ``itsms.view_organization`` ("assigned
  auditor of this organisation", the same one the core uses to let a certification body's
  auditor who is no member read the organisation), held through django-guardian. The audits
  app grants it with ``grant_audit_reader`` when it assigns an auditor (member or not) to an
  audit and withdraws it with ``revoke_audit_reader`` when their last assignment there ends.
  Without it an auditor gets 403 (a member) or 404 (anyone else). It is read-only.
- Uploading, editing and document control need ``Capability.UPLOAD_EVIDENCE``; approving
  needs the item's named reviewer or a consultant/admin; restoring a deleted item needs a
  consultant/admin (``Capability.CHANGE_ORGANIZATION``).

Every check goes through ``itsms.shared.permissions``.
"""

from __future__ import annotations

from django.db.models import Q

from itsms.shared import permissions
from itsms.shared.permissions import Capability

from ..models import Membership, Organization, Role

READ_PERM = "itsms.view_organization"
#: Roles that read evidence by their membership alone (auditors need an assignment).
MEMBER_READER_ROLES = (Role.CONSULTANT, Role.ADMIN, Role.CONTRIBUTOR, Role.VIEWER)


def _forget(user) -> None:
    for cache in ("_membership_cache", "_perm_cache", "_evidence_reader_cache"):
        user.__dict__.pop(cache, None)


def grant_audit_reader(user, organization: Organization) -> None:
    """Let ``user`` read ``organization``'s evidence (called when assigned to an audit)."""
    permissions.grant(user, READ_PERM, organization)
    _forget(user)


def revoke_audit_reader(user, organization: Organization) -> None:
    """Withdraw the read access granted with ``grant_audit_reader``."""
    permissions.revoke(user, READ_PERM, organization)
    _forget(user)


def is_audit_reader(user, organization: Organization) -> bool:
    cache = user.__dict__.setdefault("_evidence_reader_cache", {})
    if organization.pk not in cache:
        cache[organization.pk] = permissions.can_on(user, READ_PERM, organization)
    return cache[organization.pk]


def may_read(user, organization: Organization, membership: Membership | None = None) -> bool:
    """May ``user`` read the organisation's evidence?"""
    if membership is None:
        membership = permissions.membership_of(user, organization)
    if membership is not None and membership.role in MEMBER_READER_ROLES:
        return permissions.role_allows(membership.role, Capability.VIEW)
    return is_audit_reader(user, organization)


def _is_real(membership: Membership | None) -> bool:
    return membership is not None and membership.pk is not None


def may_upload(membership: Membership | None) -> bool:
    return _is_real(membership) and permissions.role_allows(
        membership.role, Capability.UPLOAD_EVIDENCE
    )


def may_restore(membership: Membership | None) -> bool:
    return _is_real(membership) and permissions.role_allows(
        membership.role, Capability.CHANGE_ORGANIZATION
    )


def may_approve(user, membership: Membership | None, evidence) -> bool:
    """The named reviewer (who may upload) or a consultant/admin approves."""
    if not may_upload(membership):
        return False
    if membership.role in (Role.CONSULTANT, Role.ADMIN):
        return True
    return evidence.reviewer_id is not None and evidence.reviewer_id == user.pk


def restoring_organizations(user):
    """Ids of the organisations where ``user`` may see and restore deleted evidence."""
    return Membership.objects.filter(user=user, role__in=(Role.CONSULTANT, Role.ADMIN)).values(
        "organization"
    )


def readable_organizations(user):
    """Organisations whose evidence the user may read (members by role, assigned auditors)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    member_of = Membership.objects.filter(user=user, role__in=MEMBER_READER_ROLES).values(
        "organization"
    )
    granted = permissions.objects_with(user, READ_PERM, Organization.objects.all()).values("pk")
    return Organization.objects.filter(Q(pk__in=member_of) | Q(pk__in=granted))
