"""Who may do what in audits — asked by pages, API and templates alike.

- Consultants and admins plan audits, assign auditors and see everything.
- An auditor acts only in the audits they are assigned to (an active ``AuditAssignment``,
  mirrored as the django-guardian object permission ``audits.record_findings`` on the audit):
  record notes and findings, accept / return / verify corrective actions. The lead auditor
  also records the closing meeting. An auditor who is not a member reads the organisation
  while an assignment lasts (``itsms.shared.permissions.grant_audit_reader``).
- Members who may assess (contributors, admins, consultants) answer nonconformities.
"""

from itsms.models import Role
from itsms.shared import permissions
from itsms.shared.permissions import Capability

RECORD_PERM = "audits.record_findings"
LEAD_PERM = "audits.lead_audit"


def may_manage(membership) -> bool:
    return membership is not None and membership.role in (Role.CONSULTANT, Role.ADMIN)


def may_record(user, audit) -> bool:
    return permissions.can_on(user, RECORD_PERM, audit)


def may_lead(user, membership, audit) -> bool:
    return permissions.can_on(user, LEAD_PERM, audit) or may_manage(membership)


def may_answer(user, membership, action) -> bool:
    if membership is None or getattr(membership, "pk", None) is None:
        return False  # auditors who are not members never answer
    if action.owner_id == user.pk:
        return True
    return permissions.role_allows(membership.role, Capability.ASSESS)


def may_take_pack(user, membership, audit) -> bool:
    """The audit pack (build and download) is for the audit's auditors, while assigned, and for
    the organisation's consultants and admins: not for contributors, viewers, or an auditor of
    another audit."""
    return may_manage(membership) or may_record(user, audit)
