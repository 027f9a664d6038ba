"""What the SMS records plug into the core: review-by dates for the reminder scan and the
calendars (``DEADLINE_PROVIDERS``), and "my work" (records and actions the user owns)."""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from itsms.shared.hooks import DeadlineProvider, WorkItem

from .models import (
    ActionStatus,
    Agreement,
    Improvement,
    Objective,
    Risk,
    Supplier,
    TreatmentAction,
)


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
_IMPROVEMENT = gettext_noop("%(org)s: review of improvement %(ref)s “%(title)s” due")

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
    DeadlineProvider(
        subject_type="sms-improvement",
        kind="improvement-review",
        queryset=_open(Improvement),
        title=_title(_IMPROVEMENT),
        url_name="sms:improvement_detail",
        title_fields=TITLE_FIELDS,
    ),
]

_PAGES = {
    "risk": (Risk, "sms:risk_detail"),
    "objective": (Objective, "sms:objective_detail"),
    "supplier": (Supplier, "sms:supplier_detail"),
    "agreement": (Agreement, "sms:agreement_detail"),
    "improvement": (Improvement, "sms:improvement_detail"),
    "action": (TreatmentAction, "sms:risk_detail"),
}
_COLUMNS = ("pk", "number", "text", "status", "due", "register", "page_pk")


def _owned(model, kind, organization, user):
    return (
        model.objects.filter(model.open_q(), organization=organization, owner=user)
        .annotate(
            text=F("title"),
            due=F("review_by"),
            register=Value(kind, output_field=CharField()),
            page_pk=F("pk"),
        )
        .values_list(*_COLUMNS)
        .order_by()
    )


def my_records(user, organization) -> list[WorkItem]:
    """Open records the user owns (due: their review-by date) and their open treatment actions
    (due: the action's date), in one query for every register."""
    today = organization.local_today()
    labels = {
        "risk": _("Risk"),
        "objective": _("Objective"),
        "supplier": _("Supplier"),
        "agreement": _("Agreement"),
        "improvement": _("Opportunity for improvement"),
        "action": _("Treatment action"),
    }
    actions = (
        TreatmentAction.objects.filter(
            organization=organization,
            owner=user,
            status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS),
        )
        .annotate(
            number=F("risk__number"),
            text=Cast("description", CharField()),
            due=F("due_date"),
            register=Value("action", output_field=CharField()),
            page_pk=F("risk_id"),
        )
        .values_list(*_COLUMNS)
        .order_by()
    )
    owned = [
        _owned(model, kind, organization, user)
        for kind, (model, _p) in _PAGES.items()
        if kind != "action"
    ]
    rows = owned[0].union(*owned[1:], actions, all=True)
    items = []
    for _pk, number, text, status, due, kind, page_pk in rows:
        model, url_name = _PAGES[kind]
        statuses = dict(model._meta.get_field("status").flatchoices)
        reference_model = Risk if kind == "action" else model
        items.append(
            WorkItem(
                kind=labels[kind],
                reference=f"{reference_model.REFERENCE_PREFIX}-{number:03d}" if number else "",
                title=text[:120],
                url=reverse(url_name, kwargs={"org_slug": organization.slug, "pk": page_pk}),
                status=str(statuses.get(status, status)),
                due=due,
                overdue=bool(due and due < today),  # every row here is still open
            )
        )
    return items
