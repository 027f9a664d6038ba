"""What the SMS records plug into the core: review-by dates for the reminder scan and the
calendars (``DEADLINE_PROVIDERS``), and "my work" (records and actions the user owns)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from itsms.shared.hooks import DeadlineProvider, WorkItem

from .models import ActionStatus, Agreement, Objective, Risk, Supplier, TreatmentAction


def _title(text):
    """The reminder title of a row, translated when written (in the organisation's language)."""

    def title(org_name, row) -> str:
        return _(text) % {"org": org_name, "ref": row.reference, "title": row.title}

    return title


def _open(model):
    return lambda: model.objects.filter(model.open_q())


_RISK = gettext_noop("%(org)s: review of risk %(ref)s “%(title)s” due")
_OBJECTIVE = gettext_noop("%(org)s: review of objective %(ref)s “%(title)s” due")
_SUPPLIER = gettext_noop("%(org)s: review of supplier %(ref)s “%(title)s” due")
_AGREEMENT = gettext_noop("%(org)s: review of agreement %(ref)s “%(title)s” due")

TITLE_FIELDS = ("title", "number")

DEADLINE_PROVIDERS = [
    DeadlineProvider(
        subject_type="sms-risk",
        kind="risk-review",
        queryset=_open(Risk),
        title=_title(_RISK),
        url_name="sms:risk_detail",
        title_fields=TITLE_FIELDS,
    ),
    DeadlineProvider(
        subject_type="sms-objective",
        kind="objective-review",
        queryset=_open(Objective),
        title=_title(_OBJECTIVE),
        url_name="sms:objective_detail",
        title_fields=TITLE_FIELDS,
    ),
    DeadlineProvider(
        subject_type="sms-supplier",
        kind="supplier-review",
        queryset=_open(Supplier),
        title=_title(_SUPPLIER),
        url_name="sms:supplier_detail",
        title_fields=TITLE_FIELDS,
    ),
    DeadlineProvider(
        subject_type="sms-agreement",
        kind="agreement-review",
        queryset=_open(Agreement),
        title=_title(_AGREEMENT),
        url_name="sms:agreement_detail",
        title_fields=TITLE_FIELDS,
    ),
]

_PAGES = {
    Risk: "sms:risk_detail",
    Objective: "sms:objective_detail",
    Supplier: "sms:supplier_detail",
    Agreement: "sms:agreement_detail",
}


def my_records(user, organization) -> list[WorkItem]:
    """Open records the user owns (due: their review-by date) and their open treatment actions
    (due: the action's date). One query per register."""
    today = organization.local_today()
    labels = {
        Risk: _("Risk"),
        Objective: _("Objective"),
        Supplier: _("Supplier"),
        Agreement: _("Agreement"),
    }
    items = []
    for model, url_name in _PAGES.items():
        rows = model.objects.filter(model.open_q(), organization=organization, owner=user).only(
            "id", "number", "title", "status", "review_by"
        )
        for row in rows:
            items.append(
                WorkItem(
                    kind=labels[model],
                    reference=row.reference,
                    title=row.title,
                    url=reverse(url_name, kwargs={"org_slug": organization.slug, "pk": row.pk}),
                    status=row.get_status_display(),
                    due=row.review_by,
                    overdue=row.is_review_overdue(today),
                )
            )
    actions = TreatmentAction.objects.filter(
        organization=organization,
        owner=user,
        status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS),
    ).select_related("risk")
    for action in actions:
        items.append(
            WorkItem(
                kind=_("Treatment action"),
                reference=action.risk.reference,
                title=action.description[:120],
                url=reverse(
                    "sms:risk_detail", kwargs={"org_slug": organization.slug, "pk": action.risk_id}
                ),
                status=action.get_status_display(),
                due=action.due_date,
                overdue=action.is_overdue(today),
            )
        )
    return items
