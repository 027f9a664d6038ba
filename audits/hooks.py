"""What the audits app adds to the core's pages (my work, the readiness dashboard)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from itsms.shared.hooks import WorkItem

from .models import ActionState, Audit, AuditStatus, CorrectiveAction, Grade


def my_actions(user, organization):
    """Corrective actions the user owns that still need them."""
    today = organization.local_today()
    rows = (
        CorrectiveAction.objects.filter(organization=organization, owner=user)
        .exclude(state=ActionState.VERIFIED)
        .select_related("finding__clause", "finding__audit__certification_body")
    )
    return [
        WorkItem(
            kind=_("Corrective action"),
            reference=" ".join(
                filter(None, [row.finding.reference, getattr(row.finding.clause, "number", "")])
            ),
            title=row.finding.statement[:120],
            url=reverse(
                "audits:action_detail", kwargs={"org_slug": organization.slug, "pk": row.pk}
            ),
            status=row.get_state_display(),
            due=row.finding.response_deadline,
            overdue=row.is_overdue(today),
        )
        for row in rows
    ]


def audits_panel(request, organization):
    """Open nonconformities by grade with their deadlines, and the next audit."""
    today = organization.local_today()
    actions = list(
        CorrectiveAction.objects.filter(organization=organization)
        .exclude(state=ActionState.VERIFIED)
        .select_related("finding__clause", "finding__audit__certification_body")
        .order_by("finding__audit__closing_meeting_on", "finding__number")
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    next_audit = (
        Audit.objects.filter(organization=organization, planned_start__gte=today)
        .exclude(status=AuditStatus.CLOSED)
        .order_by("planned_start")
        .first()
    )
    return {
        "template": "audits/_dashboard_panel.html",
        "context": {
            "organization": organization,
            "today": today,
            "majors": [a for a in actions if a.finding.grade == Grade.MAJOR],
            "minors": [a for a in actions if a.finding.grade == Grade.MINOR],
            "next_audit": next_audit,
            # No audit planned: the surveillance (or recertification) audit that is due.
            "audit_due": None if next_audit else _audit_due(organization, today),
        },
    }


def _audit_due(organization, today):
    """The certificate's next surveillance or recertification audit deadline (from the
    certification app, through the core's hook), or None."""
    from itsms.shared import hooks

    due = hooks.next_deadlines([organization], today, kinds=("surveillance", "recertification"))
    return due.get(organization.pk)
