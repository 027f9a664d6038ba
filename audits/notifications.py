"""Who hears of what moves in an audit, through the core's ``notify`` (in-app, and by email
as each person prefers): an auditor assigned to an audit; a corrective action submitted (the
lead auditors review it), returned, accepted, reported implemented (the auditors verify it)
and verified."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from itsms.models import Membership, Role
from itsms.notifications.services import notify

from .models import ActionState, AuditAssignment

#: Each state a corrective action moves to: its message and who hears of it.
ACTION_MESSAGES = {
    ActionState.SUBMITTED: (
        gettext_noop("%(actor)s submitted the corrective action plan for %(ref)s for your review."),
        "auditors",
    ),
    ActionState.RETURNED: (
        gettext_noop("%(actor)s returned the corrective action plan for %(ref)s: %(comment)s"),
        "auditee",
    ),
    ActionState.ACCEPTED: (
        gettext_noop("%(actor)s accepted the corrective action plan for %(ref)s."),
        "auditee",
    ),
    ActionState.IMPLEMENTED: (
        gettext_noop(
            "%(actor)s reported the corrective action for %(ref)s implemented: verify it."
        ),
        "auditors",
    ),
    ActionState.VERIFIED: (
        gettext_noop("%(actor)s verified the corrective action for %(ref)s: it is closed."),
        "auditee",
    ),
}


def _auditors(audit):
    """The audit's active lead auditors (all its active auditors when it has no lead)."""
    active = list(
        AuditAssignment.objects.filter(audit=audit, ended_at__isnull=True).select_related("user")
    )
    leads = [a.user for a in active if a.role == AuditAssignment.Role.LEAD]
    return leads or [a.user for a in active]


def _auditee(action):
    """The action's owner, and the organisation's admins (they answer for the SMS)."""
    admins = Membership.objects.filter(
        organization_id=action.organization_id, role=Role.ADMIN
    ).select_related("user")
    return [action.owner, *(m.user for m in admins)]


def action_moved(action, actor) -> None:
    """Tell the people concerned that ``action`` reached its current state."""
    if action.state not in ACTION_MESSAGES:
        return
    message, audience = ACTION_MESSAGES[action.state]
    finding = action.finding
    recipients = _auditors(finding.audit) if audience == "auditors" else _auditee(action)
    clause = getattr(finding.clause, "number", "")
    notify(
        organization=action.organization,
        recipients=recipients,
        actor=actor,
        kind=f"action-{action.state}",
        message=message,
        params={
            "actor": actor.get_full_name() if actor else "",
            "ref": f"{finding.reference} ({clause})" if clause else finding.reference,
            "comment": action.auditor_comment,
        },
        url=reverse(
            "audits:action_detail",
            kwargs={"org_slug": action.organization.slug, "pk": action.pk},
        ),
        email=True,
    )


def auditor_assigned(assignment, actor) -> None:
    """Tell an auditor they were put on an audit."""
    audit = assignment.audit
    if assignment.role == AuditAssignment.Role.LEAD:
        message = gettext_noop("%(actor)s assigned you to the audit “%(audit)s” as lead auditor.")
    else:
        message = gettext_noop("%(actor)s assigned you to the audit “%(audit)s” as auditor.")
    notify(
        organization=audit.organization,
        recipients=[assignment.user],
        actor=actor,
        kind="audit-assigned",
        message=message,
        params={"actor": actor.get_full_name() if actor else "", "audit": audit.title},
        url=reverse(
            "audits:audit_detail", kwargs={"org_slug": audit.organization.slug, "pk": audit.pk}
        ),
        email=True,
    )
