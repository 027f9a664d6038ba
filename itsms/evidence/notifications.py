"""Who hears of evidence moving through document control, through ``notify`` (in-app, and by
email as each person prefers): sent for review (the named reviewer, or else the consultants
and admins who may approve), approved, and sent back to draft (its owner and uploader)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from itsms.models import DocumentStatus, Evidence
from itsms.notifications.services import notify
from itsms.shared import permissions
from itsms.tenancy.selectors import recipients

from .selectors import evidence_url

MESSAGES = {
    DocumentStatus.IN_REVIEW: gettext_noop("%(actor)s sent “%(title)s” for your review."),
    DocumentStatus.APPROVED: gettext_noop("%(actor)s approved “%(title)s”."),
    DocumentStatus.DRAFT: gettext_noop("%(actor)s sent “%(title)s” back to draft: %(note)s"),
}


def _approvers(evidence: Evidence):
    if evidence.reviewer_id:
        return [evidence.reviewer]
    return recipients(evidence, roles=permissions.MANAGERS, action="approve")


def evidence_moved(evidence: Evidence, actor) -> None:
    """Tell the people concerned that ``evidence`` reached its current status."""
    message = MESSAGES.get(evidence.status)
    if message is None:
        return
    if evidence.status == DocumentStatus.IN_REVIEW:
        recipients = _approvers(evidence)
    else:
        recipients = [evidence.owner, evidence.created_by]
    notify(
        organization=evidence.organization,
        recipients=recipients,
        actor=actor,
        kind=f"evidence-{evidence.status}",
        message=message,
        params={
            "actor": actor.get_full_name() if actor else "",
            "title": evidence.title,
            "note": evidence.status_note,
        },
        url=evidence_url(evidence),
        email=True,
    )
