"""Who may do what in audits: the policies of the audits app's models and their named rules.

- Consultants and admins (``MANAGERS``) plan audits, assign auditors and see everything.
- An auditor acts only in the audits they are assigned to (an active ``AuditAssignment``,
  mirrored as the django-guardian object permission ``audits.record_findings`` on the audit):
  record notes and findings, accept / return / verify corrective actions. The lead auditor
  also keeps the plan and records the closing meeting.
- An outside auditor (no member) reads the organisation while an assignment lasts
  (``itsms.shared.permissions.grant_audit_reader``), and of its audits only those assigned.
- Members who may assess (contributors, admins, consultants) answer nonconformities; any other
  member answers the ones they own.

Pages and the API ask through ``Model.objects.restrict(user, action)``; the helpers below
answer for one row (templates' flags).
"""

from django.db.models import Q

from itsms.models import Role
from itsms.shared import permissions
from itsms.shared.permissions import (
    NOBODY,
    NON_MANAGERS,
    OUTSIDE_AUDITOR,
    Access,
    Capability,
    limited,
    register,
    rule,
)

from .models import (
    ActionEvidence,
    Audit,
    AuditAssignment,
    AuditInvitation,
    AuditNote,
    AuditPack,
    CertificationBody,
    CorrectiveAction,
    Finding,
    FindingEvidence,
    PlanSession,
)

RECORD_PERM = "audits.record_findings"
LEAD_PERM = "audits.lead_audit"
MANAGE = Capability.CHANGE_ORGANIZATION


def _active(user, **extra):
    return AuditAssignment.objects.filter(user=user, ended_at__isnull=True, **extra).values("audit")


def _on_assigned(path: str, lead: bool = False):
    def condition(user) -> Q:
        extra = {"role": AuditAssignment.Role.LEAD} if lead else {}
        return Q(**{f"{path}__in": _active(user, **extra)})

    return condition


assigned_audits = permissions.Rule(
    "assigned_audits", _on_assigned("pk"), "The audits the user is assigned to, while assigned."
)
led_audits = permissions.Rule(
    "led_audits", _on_assigned("pk", lead=True), "The audits the user leads, while assigned."
)
of_assigned_audits = permissions.Rule(
    "of_assigned_audits", _on_assigned("audit"), "Rows of the audits the user is assigned to."
)
of_led_audits = permissions.Rule(
    "of_led_audits", _on_assigned("audit", lead=True), "Rows of the audits the user leads."
)
actions_of_assigned_audits = permissions.Rule(
    "actions_of_assigned_audits",
    _on_assigned("finding__audit"),
    "Corrective actions of the findings of the audits the user is assigned to.",
)

of_assigned_audits_findings = permissions.Rule(
    "of_assigned_audits_findings",
    _on_assigned("finding__audit"),
    "Evidence sampled for the findings of the audits the user is assigned to.",
)
of_assigned_audits_actions = permissions.Rule(
    "of_assigned_audits_actions",
    _on_assigned("action__finding__audit"),
    "Evidence of the corrective actions of the audits the user is assigned to.",
)


@rule
def own_actions(user) -> Q:
    """A member who may not assess answers the corrective actions they own."""
    return Q(owner=user)


_outside = [OUTSIDE_AUDITOR]
register(CertificationBody, view=Access(Capability.VIEW), add=Access(MANAGE), change=Access(MANAGE))
register(
    Audit,
    view=Access(Capability.VIEW, limits=limited(assigned_audits, _outside)),
    add=Access(MANAGE),
    change=Access(MANAGE),
    lead=Access(Capability.VIEW, limits=limited(led_audits, NON_MANAGERS)),
    record=Access(Capability.VIEW, everyone=assigned_audits),
    # the audit pack: the audit's auditors while assigned, and the managers (may_take_pack)
    take_pack=Access(Capability.VIEW, limits=limited(assigned_audits, NON_MANAGERS)),
)
register(
    AuditAssignment,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits, _outside)),
    add=Access(MANAGE),
    change=Access(MANAGE),
)
register(
    PlanSession,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits, _outside)),
    add=Access(Capability.VIEW, limits=limited(of_led_audits, NON_MANAGERS)),
    delete=Access(Capability.VIEW, limits=limited(of_led_audits, NON_MANAGERS)),
)
register(
    AuditNote,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits, _outside)),
    add=Access(Capability.VIEW, everyone=of_assigned_audits),
    change=Access(Capability.VIEW, everyone=of_assigned_audits),
)
register(
    Finding,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits, _outside)),
    add=Access(Capability.VIEW, everyone=of_assigned_audits),
    change=Access(Capability.VIEW, everyone=of_assigned_audits),
    # an area of concern found resolved: the lead auditor while assigned, and the managers
    # (after the audit closed too)
    resolve=Access(Capability.VIEW, limits=limited(of_led_audits, NON_MANAGERS)),
)
register(
    CorrectiveAction,
    view=Access(Capability.VIEW, limits=limited(actions_of_assigned_audits, _outside)),
    change=Access(
        Capability.VIEW,
        limits={Role.AUDITOR: own_actions, Role.VIEWER: own_actions, OUTSIDE_AUDITOR: NOBODY},
    ),
    review=Access(Capability.VIEW, everyone=actions_of_assigned_audits),
)
register(
    AuditPack,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits, _outside)),
    # the pack (build and download): the audit's auditors while assigned, and the managers
    add=Access(Capability.VIEW, limits=limited(of_assigned_audits, NON_MANAGERS)),
    take=Access(Capability.VIEW, limits=limited(of_assigned_audits, NON_MANAGERS)),
)
register(
    FindingEvidence,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits_findings, _outside)),
)
register(
    ActionEvidence,
    view=Access(Capability.VIEW, limits=limited(of_assigned_audits_actions, _outside)),
)
register(AuditInvitation, view=Access(MANAGE), add=Access(MANAGE), change=Access(MANAGE))


def may_manage(membership) -> bool:
    """A consultant or an admin of the organisation."""
    return permissions.is_manager(membership)


def may_record(user, audit) -> bool:
    """Is the user assigned to this audit (records notes and findings, reviews answers)?"""
    return permissions.allows(user, "record", audit)


def may_lead(user, membership, audit) -> bool:
    """The audit's lead auditor, or a manager: keeps the plan, records the closing meeting."""
    return permissions.allows(user, "lead", audit)


def may_answer(user, membership, action) -> bool:
    """May the user answer this corrective action (write and submit the plan)?"""
    return permissions.allows(user, "change", action)


def may_take_pack(user, membership, audit) -> bool:
    """The audit pack (build and download) is for the audit's auditors, while assigned, and for
    the organisation's consultants and admins: not for contributors, viewers, or an auditor of
    another audit (the policy's ``take_pack``)."""
    return permissions.allows(user, "take_pack", audit)
