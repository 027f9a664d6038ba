"""Every dated obligation of an organisation, selected by date in SQL.

The calendars and the iCal feed (``deadlines_for``) and the reminder scan (``reminders.py``,
through the querysets here) read the same dates: the certificate's stored cycle
(``cycle.refresh_cycles``, computed by ``rules``), each open nonconformity's response deadline
(closing meeting + the body's window, added in SQL), evidence review dates and audits. Titles
and links are built only for the rows the date window selects; each function runs a constant
number of queries for any number of organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from audits.models import ActionState, Audit, AuditStatus, CorrectiveAction
from audits.rules import default_response_window_days

from . import rules
from .models import Certificate, CertificateEdition, CertificateStatus


class AddDays(Func):
    """``date + days`` as a date, on SQLite and PostgreSQL (``days`` an integer expression)."""

    output_field = DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        day, days = (compiler.compile(e) for e in self.get_source_expressions())
        return f"date({day[0]}, '+' || ({days[0]}) || ' days')", (*day[1], *days[1])

    def as_postgresql(self, compiler, connection, **extra_context):
        day, days = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(({day[0]})::date + ({days[0]})::integer)", (*day[1], *days[1])

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - other vendors
        raise NotImplementedError(f"AddDays is not written for {connection.vendor}")


@dataclass(frozen=True)
class Deadline:
    organization_id: int
    org_slug: str
    subject_type: str  # certificate | action | evidence | audit
    subject_id: int
    kind: str  # surveillance-1 | recertification | expiry | transition | nc-response | …
    due: date
    title: str
    url: str
    owner_id: int | None = None


# --- the querysets (shared by calendars and the scan) ------------------------------------


def transition_cutoff_expr():
    return Coalesce(
        F("certification_body__transition_cutoff"),
        Value(rules.default_transition_cutoff(), output_field=DateField()),
        output_field=DateField(),
    )


def response_deadline_expr():
    """The response deadline of a corrective action's finding (audits.rules, in SQL)."""
    return AddDays(
        F("finding__audit__closing_meeting_on"),
        Coalesce(
            F("finding__audit__certification_body__response_window_days"),
            Value(default_response_window_days()),
        ),
    )


def current_certificates(queryset, today: date):
    """Certificates whose deadlines still count (``rules.reminders_apply``, in SQL).

    Not withdrawn or expired (by status or by date), not superseded by a recertification.
    The successor test is a NOT EXISTS on the unique index of ``previous_id``: it stays an
    index probe whatever the planner's statistics say.
    """
    return queryset.filter(
        status__in=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
        expires_on__gte=today,
    ).exclude(Exists(Certificate.objects.filter(previous_id=OuterRef("pk"))))


def transition_invalid_q(today: date) -> Q:
    """2011-edition certificates past their transition cutoff without a transition audit."""
    return Q(edition=CertificateEdition.E2011, transition_passed=False, cutoff__lt=today)


def open_actions(queryset):
    """Corrective actions whose response is still awaited, with their ``due`` date."""
    return queryset.filter(
        state__in=(ActionState.DRAFT, ActionState.RETURNED),
        finding__audit__closing_meeting_on__isnull=False,
    ).annotate(due=response_deadline_expr())


# --- titles -----------------------------------------------------------------------------


def _surveillance(cert) -> rules.SurveillanceDue:
    number, due = cert.surveillance_number, cert.surveillance_due
    limits = rules.surveillance_due_dates(cert.decision_date)
    limit = limits[number - 1] if number <= len(limits) else None
    year = due.year if (due.month, due.day) == (12, 31) and due != limit else None
    return rules.SurveillanceDue(number=number, due=due, limit=limit, year=year)


def surveillance_title(org_name, cert, *, overdue: bool) -> str:
    upcoming = _surveillance(cert)
    values = {"org": org_name, "n": upcoming.number, "reason": upcoming.reason}
    if overdue:
        return (
            _(
                "%(org)s: surveillance audit %(n)s overdue (%(reason)s) — the certificate is at "
                "risk of suspension"
            )
            % values
        )
    return _("%(org)s: surveillance audit %(n)s due (%(reason)s)") % values


def recertification_title(org_name, cert) -> str:
    return _(
        "%(org)s: recertification audit of certificate %(number)s due by %(audit)s; the "
        "certificate expires on %(expiry)s"
    ) % {
        "org": org_name,
        "number": cert.number,
        "audit": cert.recertification_audit_due.isoformat(),
        "expiry": cert.expires_on.isoformat(),
    }


def expiry_title(org_name, cert) -> str:
    return _("%(org)s: certificate %(number)s expires") % {"org": org_name, "number": cert.number}


def transition_title(org_name, cert) -> str:
    return _("%(org)s: 2011 certificate %(number)s — transition cutoff") % {
        "org": org_name,
        "number": cert.number,
    }


def action_title(org_name, action) -> str:
    finding = action.finding
    return _("%(org)s: response to %(ref)s (%(grade)s, %(clause)s)") % {
        "org": org_name,
        "ref": finding.reference,
        "grade": finding.get_grade_display(),
        "clause": finding.clause.number if finding.clause_id else "—",
    }


def evidence_title(org_name, evidence) -> str:
    return _("%(org)s: review of “%(title)s” due") % {"org": org_name, "title": evidence.title}


class Links:
    """Each page's address built once per kind, then filled in per row (no reverse per row)."""

    NAMES = {
        "certificate": "certification:certificate_detail",
        "action": "audits:action_detail",
        "evidence": "itsms:evidence_detail",
        "audit": "audits:audit_detail",
    }

    def __init__(self):
        self._templates = {}

    def __call__(self, subject_type: str, org_slug: str, pk: int) -> str:
        if subject_type not in self._templates:
            try:
                template = reverse(
                    self.NAMES[subject_type], kwargs={"org_slug": "ORGSLUG", "pk": 987654321}
                )
            except Exception:  # noqa: BLE001  (a page renamed by a lower app: no link)
                template = ""
            self._templates[subject_type] = template
        template = self._templates[subject_type]
        return template.replace("ORGSLUG", org_slug, 1).replace("987654321", str(pk), 1)


ORG_FIELDS = ["id", "organization_id", "organization__name", "organization__slug"]
CERTIFICATE_FIELDS = [
    *ORG_FIELDS,
    "number",
    "edition",
    "transition_passed",
    "decision_date",
    "expires_on",
    "surveillance_due",
    "surveillance_number",
    "recertification_audit_due",
]


# --- calendars ---------------------------------------------------------------------------


def _in(field, start, end) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _certificate_deadlines(organizations, start, end, today, limit, links) -> list[Deadline]:
    """One query per date of the cycle, each ordered by its date (so a limit keeps the first)."""
    current = (
        current_certificates(Certificate.objects.filter(organization__in=organizations), today)
        .annotate(cutoff=transition_cutoff_expr())
        .select_related("organization")
        .only(*CERTIFICATE_FIELDS)
    )
    running = current.exclude(transition_invalid_q(today))  # invalid 2011: no cycle runs
    sources = [
        (
            "transition",
            "cutoff",
            current.filter(edition=CertificateEdition.E2011, transition_passed=False),
            transition_title,
        ),
        (
            None,
            "surveillance_due",
            running.filter(surveillance_due__isnull=False),
            lambda name, c: surveillance_title(name, c, overdue=c.surveillance_due < today),
        ),
        ("recertification", "recertification_audit_due", running, recertification_title),
        ("expiry", "expires_on", running, expiry_title),
    ]
    result = []
    for kind, field, queryset, title in sources:
        rows = queryset.filter(_in(field, start, end)).order_by(field, "pk")
        for cert in rows[:limit] if limit is not None else rows:
            org = cert.organization
            result.append(
                Deadline(
                    organization_id=org.pk,
                    org_slug=org.slug,
                    subject_type="certificate",
                    subject_id=cert.pk,
                    kind=kind or f"surveillance-{cert.surveillance_number}",
                    due=getattr(cert, field),
                    title=title(org.name, cert),
                    url=links("certificate", org.slug, cert.pk),
                )
            )
    return result


def _action_deadlines(organizations, start, end, limit, links) -> list[Deadline]:
    rows = (
        open_actions(CorrectiveAction.objects.filter(organization__in=organizations))
        .filter(_in("due", start, end))
        .select_related("organization", "finding__clause")
        .only(
            *ORG_FIELDS,
            "owner_id",
            "finding__number",
            "finding__reference",
            "finding__grade",
            "finding__clause__number",
        )
        .order_by("due", "pk")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        Deadline(
            organization_id=a.organization_id,
            org_slug=a.organization.slug,
            subject_type="action",
            subject_id=a.pk,
            kind="nc-response",
            due=a.due,
            title=action_title(a.organization.name, a),
            url=links("action", a.organization.slug, a.pk),
            owner_id=a.owner_id,
        )
        for a in rows
    ]


def _evidence_deadlines(organizations, start, end, limit, links) -> list[Deadline]:
    from itsms.models import Evidence

    rows = (
        Evidence.objects.filter(
            organization__in=organizations, review_by__isnull=False, deleted_at__isnull=True
        )
        .filter(_in("review_by", start, end))
        .select_related("organization")
        .only(*ORG_FIELDS, "title", "review_by", "owner_id")
        .order_by("review_by", "pk")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        Deadline(
            organization_id=e.organization_id,
            org_slug=e.organization.slug,
            subject_type="evidence",
            subject_id=e.pk,
            kind="evidence-review",
            due=e.review_by,
            title=evidence_title(e.organization.name, e),
            url=links("evidence", e.organization.slug, e.pk),
            owner_id=e.owner_id,
        )
        for e in rows
    ]


def _audit_dates(organizations, start, end, limit, links) -> list[Deadline]:
    rows = (
        Audit.objects.filter(organization__in=organizations)
        .exclude(status=AuditStatus.CLOSED)
        .filter(_in("planned_start", start, end))
        .select_related("organization")
        .only(*ORG_FIELDS, "title", "planned_start")
        .order_by("planned_start", "pk")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        Deadline(
            organization_id=a.organization_id,
            org_slug=a.organization.slug,
            subject_type="audit",
            subject_id=a.pk,
            kind="audit",
            due=a.planned_start,
            title=_("%(org)s: %(audit)s") % {"org": a.organization.name, "audit": a.title},
            url=links("audit", a.organization.slug, a.pk),
        )
        for a in rows
    ]


def deadlines_for(
    organizations,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    include_audits: bool = False,
    limit: int | None = None,
) -> list[Deadline]:
    """The organisations' deadlines due between ``start`` and ``end``, earliest first.

    Eight queries at most, whatever the number of organisations; with ``limit`` each query
    reads at most that many rows and the result is cut to ``limit`` (callers ask for one more
    to know whether the list was cut).
    """
    links = Links()
    items = (
        _certificate_deadlines(organizations, start, end, today, limit, links)
        + _action_deadlines(organizations, start, end, limit, links)
        + _evidence_deadlines(organizations, start, end, limit, links)
    )
    if include_audits:
        items += _audit_dates(organizations, start, end, limit, links)
    items.sort(key=lambda d: (d.due, d.title))
    return items[:limit] if limit is not None else items
