"""What the audits app adds to the core's pages (my work, the readiness dashboard)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from itsms.shared.hooks import WorkItem

from .models import ActionState, Audit, AuditStatus, CorrectiveAction


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
    """Open nonconformities: counts by grade and overdue, and the most urgent few (earliest
    deadline first, in SQL); the next audit."""
    from .selectors import open_nonconformities

    today = organization.local_today()
    counts, urgent = open_nonconformities(organization, today)
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
            "counts": counts,
            "urgent": urgent,
            "more": counts["majors"] + counts["minors"] - len(urgent),
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
