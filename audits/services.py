"""Writes of the audits app: keyword-only, atomic, validated, recorded with who acted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import Membership, User
from itsms.shared import permissions as core_permissions
from itsms.shared import versioning
from itsms.shared.history import save_recorded as _save
from itsms.shared.versioning import ANY

from . import notifications
from .models import (
    ActionEvidence,
    ActionState,
    Audit,
    AuditAssignment,
    AuditNote,
    AuditStatus,
    CertificationBody,
    CorrectiveAction,
    Finding,
    FindingEvidence,
    PlanSession,
)
from .permissions import LEAD_PERM, RECORD_PERM

#: A stale version (``itsms.shared.versioning``): the API answers 409, pages show the conflict.
StaleEdit = versioning.StaleVersion


def _check_version(locked, version, what):
    versioning.check(locked, version, what)


@transaction.atomic
def audit_create(
    *, organization, actor, scope_clauses=(), scope_processes=(), scope_services=(), **fields
) -> Audit:
    # Serialise numbering (A1, A2, …) per organisation.
    type(organization).objects.select_for_update().filter(pk=organization.pk).first()
    audit = _save(Audit(organization=organization, created_by=actor, **fields), actor)
    audit.scope_clauses.set(scope_clauses)
    audit.scope_processes.set(scope_processes)
    audit.scope_services.set(scope_services)
    return audit


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    actor,
    version=ANY,
    scope_clauses=None,
    scope_processes=None,
    scope_services=None,
    **fields,
) -> Audit:
    locked = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    _check_version(locked, version, locked.title)
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.version += 1
    _save(locked, actor)
    if scope_clauses is not None:
        locked.scope_clauses.set(scope_clauses)
    if scope_processes is not None:
        locked.scope_processes.set(scope_processes)
    if scope_services is not None:
        locked.scope_services.set(scope_services)
    return locked


def _sync_reader(user: User, organization) -> None:
    """An auditor who is not a member reads the organisation exactly while one of their
    assignments there is active (the grant is kept in step for members too, so a member who
    leaves the organisation mid-audit reads on until the assignment ends, and no longer)."""
    active = AuditAssignment.objects.filter(
        organization=organization, user=user, ended_at__isnull=True
    ).exists()
    if active:
        core_permissions.grant_audit_reader(user, organization)
    else:
        core_permissions.revoke_audit_reader(user, organization)


@transaction.atomic
def assignment_add(*, audit: Audit, actor, user: User, role=AuditAssignment.Role.AUDITOR):
    """Put an auditor on the audit; the object permissions end with ``assignment_end``."""
    if audit.status == AuditStatus.CLOSED:
        raise ValidationError(_("The audit is closed."))
    assignment = AuditAssignment.objects.filter(
        audit=audit, user=user, ended_at__isnull=True
    ).first()
    is_new = assignment is None or assignment.role != role
    if assignment is None:
        assignment = AuditAssignment(organization=audit.organization, audit=audit, user=user)
    assignment.role = role
    _save(assignment, actor)
    core_permissions.grant(user, RECORD_PERM, audit)
    core_permissions.grant(user, "audits.view_audit", audit)
    if role == AuditAssignment.Role.LEAD:
        core_permissions.grant(user, LEAD_PERM, audit)
    else:
        core_permissions.revoke(user, LEAD_PERM, audit)
    _sync_reader(user, audit.organization)
    if is_new:
        notifications.auditor_assigned(assignment, actor)
    return assignment


@transaction.atomic
def assignment_end(*, assignment: AuditAssignment, actor) -> AuditAssignment:
    if assignment.ended_at is None:
        assignment.ended_at = timezone.now()
        _save(assignment, actor)
    audit, user = assignment.audit, assignment.user
    core_permissions.revoke(user, RECORD_PERM, audit)
    core_permissions.revoke(user, LEAD_PERM, audit)
    core_permissions.revoke(user, "audits.view_audit", audit)
    _sync_reader(user, audit.organization)
    return assignment


@transaction.atomic
def session_add(*, audit: Audit, actor, **fields) -> PlanSession:
    return _save(PlanSession(organization=audit.organization, audit=audit, **fields), actor)


@transaction.atomic
def session_delete(*, session: PlanSession, actor) -> None:
    """Take a session off the plan (its history keeps who did it)."""
    session._history_user = actor
    session.delete()


BODY_FIELDS = (
    "name",
    "accreditation",
    "contacts",
    "response_window_days",
    "recertification_lead_days",
    "transition_cutoff",
)


@transaction.atomic
def body_create(*, organization, actor, **fields) -> CertificationBody:
    """Record a certification body of the organisation."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})
    return _save(CertificationBody(organization=organization, **fields), actor)


@transaction.atomic
def body_update(*, body: CertificationBody, actor, **fields) -> CertificationBody:
    """Change a certification body (its response window applies to deadlines from now on)."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})
    for key, value in fields.items():
        setattr(body, key, value)
    return _save(body, actor)


@transaction.atomic
def note_add(*, audit: Audit, actor, **fields) -> AuditNote:
    _ensure_open(audit)
    return _save(
        AuditNote(organization=audit.organization, audit=audit, recorded_by=actor, **fields), actor
    )


def _ensure_open(audit):
    if audit.status == AuditStatus.CLOSED:
        raise ValidationError(_("The audit is closed: nothing more can be recorded."))


@transaction.atomic
def finding_record(*, audit: Audit, actor, evidence=(), **fields) -> Finding:
    """Record a finding; once the closing meeting is held, a nonconformity gets its action."""
    _ensure_open(audit)
    _check_evidence(audit.organization, evidence)
    Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)  # serialise numbering
    number = (audit.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = _save(
        Finding(
            organization=audit.organization, audit=audit, number=number, recorded_by=actor, **fields
        ),
        actor,
    )
    if evidence:
        _link_evidence(FindingEvidence, "finding", finding, evidence, actor)
    if audit.status == AuditStatus.PLANNED:
        audit.status = AuditStatus.IN_PROGRESS
        today = audit.organization.local_today()
        # Findings entered after the fact belong to the audit as planned.
        audit.actual_start = audit.actual_start or min(audit.planned_start, today)
        audit.save(update_fields=["status", "actual_start"])
    if finding.is_nonconformity and audit.closing_meeting_on:
        _ensure_action(finding, actor)
    return finding


@transaction.atomic
def finding_update(*, finding: Finding, actor, version=ANY, evidence=None, **fields) -> Finding:
    _ensure_open(finding.audit)
    locked = Finding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    _check_version(locked, version, locked.reference)
    _check_evidence(locked.organization, evidence)
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.version += 1
    _save(locked, actor)
    if evidence is not None:
        _link_evidence(FindingEvidence, "finding", locked, evidence, actor)
    if locked.is_nonconformity and locked.audit.closing_meeting_on:
        _ensure_action(locked, actor)
    return locked


@transaction.atomic
def concern_resolve(*, finding: Finding, actor, resolved_on, resolution, version=ANY) -> Finding:
    """Record that a stage 1 area of concern was resolved (or, with no date, that it is open
    again). Allowed after the stage 1 audit closed: the organisation resolves it before stage 2."""
    locked = Finding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    _check_version(locked, version, locked.reference)
    if not locked.is_concern:
        raise ValidationError({"resolved_on": _("Only an area of concern is resolved this way.")})
    locked.resolved_on = resolved_on
    locked.resolution = resolution if resolved_on else ""
    locked.version += 1
    return _save(locked, actor)


def _ensure_action(finding: Finding, actor) -> CorrectiveAction:
    action = CorrectiveAction.objects.filter(finding=finding).first()
    if action is None:
        action = _save(CorrectiveAction(organization=finding.organization, finding=finding), actor)
    return action


@transaction.atomic
def opening_meeting_record(*, audit: Audit, actor, held_on) -> Audit:
    """Record the opening meeting (each stage has its own): the audit is under way."""
    locked = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    if locked.status == AuditStatus.CLOSED:
        raise ValidationError(_("The audit is closed."))
    if held_on > locked.organization.local_today():
        raise ValidationError({"held_on": _("The opening meeting cannot be in the future.")})
    if locked.closing_meeting_on and held_on > locked.closing_meeting_on:
        raise ValidationError({"held_on": _("The opening meeting is after the closing meeting.")})
    locked.opening_meeting_on = held_on
    # Findings recorded before the meeting was entered may have set an earlier start.
    locked.actual_start = min(locked.actual_start or held_on, held_on)
    if locked.status == AuditStatus.PLANNED:
        locked.status = AuditStatus.IN_PROGRESS
    locked.version += 1
    return _save(locked, actor)


@transaction.atomic
def closing_meeting_record(*, audit: Audit, actor, held_on) -> Audit:
    """Record the closing meeting: it fixes every nonconformity's response deadline."""
    locked = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    if locked.status == AuditStatus.CLOSED:
        raise ValidationError(_("The audit is closed."))
    if held_on > locked.organization.local_today():
        raise ValidationError({"held_on": _("The closing meeting cannot be in the future.")})
    if locked.opening_meeting_on and held_on < locked.opening_meeting_on:
        raise ValidationError({"held_on": _("The closing meeting is before the opening meeting.")})
    if locked.actual_start and held_on < locked.actual_start:
        raise ValidationError({"held_on": _("The closing meeting is before the audit started.")})
    locked.closing_meeting_on = held_on
    locked.actual_end = locked.actual_end or held_on
    locked.status = AuditStatus.CLOSING_MEETING_HELD
    locked.version += 1
    _save(locked, actor)
    for finding in locked.findings.filter(grade__in=("major", "minor")):
        _ensure_action(finding, actor)
    return locked


@transaction.atomic
def audit_close(*, audit: Audit, actor) -> Audit:
    """Close the audit; every auditor's assignment (and access) ends with it."""
    locked = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    locked.status = AuditStatus.CLOSED
    locked.version += 1
    _save(locked, actor)
    for assignment in locked.assignments.filter(ended_at__isnull=True).select_related("user"):
        assignment_end(assignment=assignment, actor=actor)
    return locked


@transaction.atomic
def audit_plan_next(*, audit: Audit, actor, planned_start, planned_end, title=None) -> Audit:
    """ "Plan next from this audit": a new audit with the same scope, team and plan."""
    new = audit_create(
        organization=audit.organization,
        actor=actor,
        kind=audit.kind,
        title=title or _("%(title)s (next)") % {"title": audit.title},
        certification_body=audit.certification_body,
        audit_guide=audit.audit_guide,
        planned_start=planned_start,
        planned_end=planned_end,
        scope_sites=audit.scope_sites,
        scope_statement=audit.scope_statement,
        standard_edition=audit.standard_edition,
        leads_to_decision=audit.leads_to_decision,
        objectives=audit.objectives,
        copied_from=audit,
        scope_clauses=list(audit.scope_clauses.all()),
        scope_processes=list(audit.scope_processes.all()),
        scope_services=list(audit.scope_services.all()),
    )
    shift = planned_start - audit.planned_start
    for session in audit.sessions.all():
        session_add(
            audit=new,
            actor=actor,
            starts_at=session.starts_at + shift,
            ends_at=session.ends_at + shift,
            clause=session.clause,
            process=session.process,
            topic=session.topic,
            auditee=session.auditee,
            location=session.location,
        )
    for assignment in audit.assignments.select_related("user"):
        if Membership.objects.filter(
            organization=audit.organization, user=assignment.user
        ).exists():
            assignment_add(audit=new, actor=actor, user=assignment.user, role=assignment.role)
    return new


# --- corrective actions ---------------------------------------------------------------------

ANSWER_FIELDS = ("correction", "root_cause", "plan", "owner", "target_date")


def _check_evidence(organization, evidence):
    if evidence and any(e.organization_id != organization.pk for e in evidence):
        raise ValidationError({"evidence": _("Choose evidence of this organisation.")})


def _link_evidence(link_model, owner_field: str, owner, evidence, actor) -> None:
    """Link ``owner`` (a finding or a corrective action) to exactly ``evidence``. A new link
    samples the item's current version; a link kept keeps the version it sampled, however many
    versions were uploaded since (the audit pack hands over that version)."""
    wanted = {item.pk: item for item in evidence}
    existing = {
        link.evidence_id: link for link in link_model.objects.filter(**{owner_field: owner})
    }
    for pk, link in existing.items():
        if pk not in wanted:
            link._history_user = actor
            link.delete()
    for pk, item in wanted.items():
        if pk in existing:
            continue
        if item.current_version_id is None:
            raise ValidationError(
                {"evidence": _("“%(title)s” has no file to sample.") % {"title": item.title}}
            )
        _save(
            link_model(
                organization_id=owner.organization_id,
                evidence=item,
                sampled_version_id=item.current_version_id,
                linked_by=actor,
                **{owner_field: owner},
            ),
            actor,
        )


@transaction.atomic
def action_update(*, action: CorrectiveAction, actor, version=ANY, evidence=None, **fields):
    locked = CorrectiveAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    _check_version(locked, version, locked.finding.reference)
    _check_evidence(locked.organization, evidence)
    if locked.state not in (ActionState.DRAFT, ActionState.RETURNED, ActionState.ACCEPTED):
        raise ValidationError(_("The plan is with the auditor; it cannot change now."))
    unknown = set(fields) - set(ANSWER_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be changed.") for k in unknown})
    owner = fields.get("owner")
    if (
        owner is not None
        and not Membership.objects.filter(organization=locked.organization, user=owner).exists()
    ):
        raise ValidationError({"owner": _("The owner must be a member of the organisation.")})
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.version += 1
    _save(locked, actor)
    if evidence is not None:
        _link_evidence(ActionEvidence, "action", locked, evidence, actor)
    return locked


def _transition(action, actor, allowed_from, to, version=ANY, **changes):
    locked = (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("finding")
        .get(pk=action.pk)
    )
    _check_version(locked, version, locked.finding.reference)
    if locked.state not in allowed_from:
        raise ValidationError(
            _("A plan in the state “%(state)s” cannot become “%(to)s”.")
            % {"state": locked.get_state_display(), "to": ActionState(to).label}
        )
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.state = to
    locked.version += 1
    saved = _save(locked, actor)
    notifications.action_moved(saved, actor)
    return saved


@transaction.atomic
def action_submit(*, action, actor, version=ANY):
    if not (action.root_cause.strip() and action.plan.strip()):
        raise ValidationError(_("Write the root-cause analysis and the plan before submitting."))
    return _transition(
        action,
        actor,
        (ActionState.DRAFT, ActionState.RETURNED),
        ActionState.SUBMITTED,
        version,
        submitted_at=timezone.now(),
        # The day that counts against the response deadline, in the organisation's zone.
        submitted_on=action.organization.local_today(),
    )


@transaction.atomic
def action_accept(*, action, actor, comment="", version=ANY):
    return _transition(
        action,
        actor,
        (ActionState.SUBMITTED,),
        ActionState.ACCEPTED,
        version,
        accepted_on=action.organization.local_today(),
        accepted_by=actor,
        auditor_comment=comment,
    )


@transaction.atomic
def action_return(*, action, actor, comment, version=ANY):
    if not comment.strip():
        raise ValidationError({"comment": _("Say what is missing when returning a plan.")})
    return _transition(
        action,
        actor,
        (ActionState.SUBMITTED,),
        ActionState.RETURNED,
        version,
        auditor_comment=comment,
    )


@transaction.atomic
def action_implemented(*, action, actor, version=ANY):
    return _transition(
        action,
        actor,
        (ActionState.ACCEPTED,),
        ActionState.IMPLEMENTED,
        version,
        implemented_on=action.organization.local_today(),
    )


@transaction.atomic
def action_verify(*, action, actor, comment="", version=ANY):
    if not core_permissions.can_on(actor, RECORD_PERM, action.finding.audit):
        raise PermissionDenied(_("Only an auditor of this audit verifies."))
    return _transition(
        action,
        actor,
        (ActionState.IMPLEMENTED,),
        ActionState.VERIFIED,
        version,
        verified_on=action.organization.local_today(),
        verified_by=actor,
        auditor_comment=comment or action.auditor_comment,
    )
