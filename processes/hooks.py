"""What the processes app plugs into the core's extension points (``itsms.shared.hooks``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from itsms.shared.hooks import WorkItem

from . import selectors


def my_processes(user, organization) -> list[WorkItem]:
    """The processes the user owns in the organisation (one query); due = next review."""
    today = organization.local_today()
    return [
        WorkItem(
            kind=_("Process"),
            reference=instance.clause.number,
            title=instance.clause.title,
            url=reverse(
                "processes:process_detail",
                kwargs={"org_slug": organization.slug, "pk": instance.pk},
            ),
            status=instance.get_status_display(),
            due=instance.next_review_due,
            overdue=instance.is_review_overdue(today),
        )
        for instance in selectors.processes_owned_by(user, organization)
    ]


def maturity_heatmap_panel(request, organization) -> dict:
    """The process maturity heat map for the readiness dashboard (one query)."""
    return {
        "template": "processes/_heatmap_panel.html",
        "context": {
            "chapters": selectors.maturity_heatmap(organization),
            "organization": organization,
        },
    }
