"""Reminders that are sent exactly once.

The periodic scan (``scan``) selects in SQL, in each organisation's time zone, only the
subjects whose next reminder falls due today and has not been created yet (date windows on
the stored cycle, the response deadline added in SQL, a NOT EXISTS on the reminder's unique
key), builds titles and links for those rows only, and inserts each batch in one statement
(``ON CONFLICT DO NOTHING`` under the unique constraint on (subject, kind, due date)) —
running it twice creates nothing new and costs a few index probes. It then claims the unsent
reminders whose queue lease is free (``queued_at``), so beat with no worker consuming queues
each reminder once per lease, not on every run.

``deliver`` sends one reminder: a ``ReminderDelivery`` row per recipient is written before
sending; the email is claimed with a conditional UPDATE, sent, then marked sent; the in-app
notification is written in the same transaction that marks it. A task that dies is
redelivered (``acks_late``) and finds what was already done; a reminder whose task was lost
(a broker restart) is queued again once its lease has expired.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audits.models import CorrectiveAction
from itsms.models import NotificationPreference, Organization
from itsms.notifications.services import notify
from itsms.shared.hooks import deadline_providers
from itsms.shared.links import absolute_url
from itsms.shared.permissions import MANAGERS
from itsms.shared.timezones import organization_context
from itsms.tenancy.selectors import recipients as select_recipients

from . import cycle, rules
from . import deadlines as dl
from .models import Certificate, Reminder, ReminderDelivery

DEFAULT_OFFSETS = {
    # kind prefix: days before the due date (0 = on the day)
    "surveillance": [90, 30, 7],
    "recertification": [180, 90, 30],
    "nc-response": [14, 7, 1, 0],
    "transition": [90, 30, 7, 0],
    "evidence-review": [30, 7, 0],
}
OVERDUE_KINDS = {"surveillance", "nc-response", "transition", "recertification"}
CLAIM_LEASE = timedelta(minutes=10)  # an email being sent by one worker
SCAN_BATCH = 1000  # subjects selected, and reminders inserted in one statement, per batch


def offsets() -> dict[str, list[int]]:
    provided = {p.kind: list(p.offsets) for p in deadline_providers()}
    return {**DEFAULT_OFFSETS, **provided, **getattr(settings, "REMINDER_OFFSETS", {})}


def queue_lease() -> timedelta:
    return timedelta(minutes=getattr(settings, "REMINDER_QUEUE_LEASE_MINUTES", 120))


def _prefix(kind: str) -> str:
    return "surveillance" if kind.startswith("surveillance") else kind


def due_kind(deadline: dl.Deadline, today) -> str | None:
    """The reminder kind due today for this deadline, or None (``rules.reminder_offset``)."""
    prefix = _prefix(deadline.kind)
    offset = rules.reminder_offset(
        offsets().get(prefix, []),
        due=deadline.due,
        today=today,
        overdue=prefix in OVERDUE_KINDS,
    )
    if offset == "overdue" and (today - deadline.due).days >= rules.default_overdue_grace_days():
        return None  # overdue for longer than the grace period: history, not a reminder
    return f"{deadline.kind}:{offset}" if offset else None


# --- the scan ----------------------------------------------------------------------------


def local_dates(now) -> dict:
    """``{local date: [time zones]}``: at any instant organisations live on at most 3 dates."""
    zones = Organization.objects.order_by().values_list("time_zone", flat=True).distinct()
    by_date = defaultdict(list)
    for zone in zones:
        by_date[timezone.localtime(now, ZoneInfo(zone)).date()].append(zone)
    return dict(by_date)


def _offset_case(prefix, today):
    """The reminder due today for the row's ``rdue``, in SQL (``rules.reminder_offset``)."""
    whens = []
    if prefix in OVERDUE_KINDS:
        whens.append(When(rdue__lt=today, then=Value("overdue")))
    for days in sorted(offsets().get(prefix, [])):
        whens.append(When(rdue__lte=today + timedelta(days=days), then=Value(f"-{days}")))
    return Case(*whens, default=Value(""), output_field=CharField())


def _due(queryset, *, prefix, subject_type, kind_prefix, today):
    """Rows of ``queryset`` (annotated with ``rdue``) whose reminder of today is not yet made."""
    earliest, latest = rules.reminder_window(
        offsets().get(prefix, []),
        overdue=prefix in OVERDUE_KINDS,
        today=today,
        grace_days=rules.default_overdue_grace_days(),
    )
    case = _offset_case(prefix, today)
    kind = Concat(*kind_prefix, Value(":"), case, output_field=CharField())
    made = Reminder.objects.filter(
        subject_type=subject_type,
        subject_id=OuterRef("pk"),
        kind=OuterRef("rkind"),
        due_date=OuterRef("rdue"),
    )
    return (
        queryset.filter(rdue__gte=earliest, rdue__lte=latest)
        .annotate(rkind=kind)
        .exclude(Exists(made))
        .order_by()  # no ordering: the planner keeps the date index
    )


def _sources(today):
    """(subject type, queryset of due rows, title) of every kind of reminder."""
    certificates = dl.current_certificates(Certificate.objects.all(), today).annotate(
        cutoff=dl.transition_cutoff_expr()
    )
    running = certificates.exclude(dl.transition_invalid_q(today))
    surveillance = running.filter(surveillance_due__isnull=False).annotate(
        rdue=F("surveillance_due")
    )
    transition = certificates.filter(edition="2011", transition_passed=False).annotate(
        rdue=F("cutoff")
    )
    # A response window is at most 365 days (audits' validator): an indexed first cut.
    actions = (
        dl.open_actions(CorrectiveAction.objects.all())
        .filter(
            finding__audit__closing_meeting_on__gte=today - timedelta(days=365 + 366),
            finding__audit__closing_meeting_on__lte=today + timedelta(days=366),
        )
        .annotate(rdue=F("due"))
    )
    from itsms.models import Evidence

    evidence = Evidence.objects.filter(review_by__isnull=False, deleted_at__isnull=True).annotate(
        rdue=F("review_by")
    )

    def cert(prefix, queryset, kind_prefix):
        # plain rows, not model instances: only what the title and the reminder need
        return _due(
            queryset,
            prefix=prefix,
            subject_type="certificate",
            kind_prefix=kind_prefix,
            today=today,
        ).values(*CERTIFICATE_VALUES, **ORG_ANNOTATIONS)

    return [
        *_provider_sources(today),
        (
            "certificate",
            cert(
                "surveillance",
                surveillance,
                [Value("surveillance-"), Cast("surveillance_number", CharField())],
            ),
            lambda c: dl.surveillance_title(c.org_name, c, overdue=c.rkind.endswith(":overdue")),
        ),
        (
            "certificate",
            cert(
                "recertification",
                running.annotate(rdue=F("recertification_audit_due")),
                [Value("recertification")],
            ),
            lambda c: dl.recertification_title(c.org_name, c),
        ),
        (
            "certificate",
            cert("transition", transition, [Value("transition")]),
            lambda c: dl.transition_title(c.org_name, c),
        ),
        (
            "action",
            _due(
                actions.select_related("finding__clause").only(*ACTION_FIELDS),
                prefix="nc-response",
                subject_type="action",
                kind_prefix=[Value("nc-response")],
                today=today,
            ).annotate(**ORG_ANNOTATIONS),
            lambda a: dl.action_title(a.org_name, a),
        ),
        (
            "evidence",
            _due(
                evidence.only("id", "organization_id", "title"),
                prefix="evidence-review",
                subject_type="evidence",
                kind_prefix=[Value("evidence-review")],
                today=today,
            ).annotate(**ORG_ANNOTATIONS),
            lambda e: dl.evidence_title(e.org_name, e),
        ),
    ]


def _provider_sources(today):
    """The review-by dates of the registers plugged in below (``deadline_providers``), read
    exactly as evidence review dates are."""
    sources = []
    for provider in deadline_providers():
        field = provider.date_field
        queryset = (
            provider.queryset()
            .filter(**{f"{field}__isnull": False})
            .annotate(rdue=F(field))
            .only("id", "organization_id", *provider.title_fields)
        )
        sources.append(
            (
                provider.subject_type,
                _due(
                    queryset,
                    prefix=provider.kind,
                    subject_type=provider.subject_type,
                    kind_prefix=[Value(provider.kind)],
                    today=today,
                ).annotate(**ORG_ANNOTATIONS),
                lambda row, title=provider.title: title(row.org_name, row),
            )
        )
    return sources


class Row(dict):
    """A ``values()`` row read like an object (the title helpers take either)."""

    __getattr__ = dict.__getitem__


ORG_ANNOTATIONS = {
    "org_name": F("organization__name"),
    "org_slug": F("organization__slug"),
    "org_language": F("organization__language"),
}
CERTIFICATE_VALUES = [
    "pk",
    "organization_id",
    "number",
    "decision_date",
    "surveillance_number",
    "surveillance_due",
    "expires_on",
    "recertification_audit_due",
    "rkind",
    "rdue",
]
ACTION_FIELDS = [
    "id",
    "organization_id",
    "finding__number",
    "finding__reference",
    "finding__grade",
    "finding__clause_id",
    "finding__clause__number",
]


INSERT_FIELDS = [
    "organization",
    "subject_type",
    "subject_id",
    "kind",
    "due_date",
    "title",
    "url",
    "created_at",
    "attempts",
    "last_error",
]


def _insert(rows: list[tuple], now) -> None:
    """Insert a batch of reminders in one statement; existing ones are left alone.

    ``rows`` are (organization id, subject type, subject id, kind, due date, title, url).
    """
    if not rows:
        return
    fields = [Reminder._meta.get_field(name) for name in INSERT_FIELDS]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    created = Reminder._meta.get_field("created_at").get_db_prep_save(now, connection)
    adapt_date = connection.ops.adapt_datefield_value
    params = []
    for org_id, subject_type, subject_id, kind, due, title, url in rows:
        params += [
            org_id,
            subject_type,
            subject_id,
            kind,
            adapt_date(due),
            title,
            url,
            created,
            0,
            "",
        ]
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(rows))} "  # noqa: S608  (names from the model, values bound)
            "ON CONFLICT DO NOTHING",
            params,
        )


def _batch_rows(subject_type, batch, title, links) -> list[tuple]:
    """The reminders of one batch; titles written in each organisation's own language."""
    rows = []
    by_language = defaultdict(list)
    for subject in batch:
        by_language[subject.org_language].append(subject)
    for language, subjects in by_language.items():
        with translation.override(language):
            for subject in subjects:
                rows.append(
                    (
                        subject.organization_id,
                        subject_type,
                        subject.pk,
                        subject.rkind,
                        subject.rdue,
                        title(subject)[:300],
                        links(subject_type, subject.org_slug, subject.pk),
                    )
                )
    return rows


def scan(*, batch_size: int = SCAN_BATCH, now=None) -> list[int]:
    """Create the reminders due now; claim and return the ids of reminders to queue."""
    now = now or timezone.now()
    # Certificates written by bulk inserts (imports, benchmarks) get their cycle first.
    cycle.refresh_cycles(Certificate.objects.filter(cycle_refreshed_at__isnull=True))
    links = dl.Links()
    by_date = local_dates(now)
    for today, zones in sorted(by_date.items()):
        for subject_type, queryset, title in _sources(today):
            if len(by_date) > 1:
                queryset = queryset.filter(organization__time_zone__in=zones)
            seen: set[int] = set()
            while True:
                # Rows inserted drop out of the query (NOT EXISTS): the next batch is new.
                batch = [
                    Row(s) if isinstance(s, dict) else s
                    for s in queryset[:batch_size]
                    if (s["pk"] if isinstance(s, dict) else s.pk) not in seen
                ]
                seen.update(s.pk for s in batch)
                _insert(_batch_rows(subject_type, batch, title, links), now)
                if len(batch) < batch_size:
                    break
    return claim(now=now, batch_size=batch_size)


def claim(*, now=None, batch_size: int = SCAN_BATCH) -> list[int]:
    """Claim the unsent reminders whose queue lease is free; return their ids, to queue.

    A reminder queued less than ``REMINDER_QUEUE_LEASE_MINUTES`` ago is left alone (its task
    is waiting for a worker, or running: ``deliver`` renews the lease at each attempt).
    """
    now = now or timezone.now()
    free = Q(sent_at__isnull=True) & (
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - queue_lease())
    )
    claimed: list[int] = []
    last = 0
    while True:
        with transaction.atomic():
            ids = list(
                Reminder.objects.filter(free, pk__gt=last)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            if ids:
                Reminder.objects.filter(free, pk__in=ids).update(queued_at=now)
        claimed += ids
        if len(ids) < batch_size:
            return claimed
        last = ids[-1]


def recipients(reminder: Reminder):
    """Consultants and admins of the organisation, and the owner of the item, among those who
    may still see it (``itsms.tenancy.selectors.recipients``): a removed member, a deactivated
    account or an auditor whose assignment ended gets nothing."""
    from audits.models import CorrectiveAction
    from itsms.models import Evidence

    users = select_recipients(reminder.organization, roles=MANAGERS)
    owners = {"action": (CorrectiveAction, "owner"), "evidence": (Evidence, "owner")}
    owners.update({p.subject_type: (p.model, p.owner_field) for p in deadline_providers()})
    owner_model, owner_field = owners.get(reminder.subject_type, (None, None))
    if owner_model is not None:
        item = (
            owner_model.objects.filter(pk=reminder.subject_id).select_related(owner_field).first()
        )
        owner = getattr(item, owner_field, None) if item is not None else None
        if owner is not None:
            users += select_recipients(item, among=[owner])
    return sorted({u.pk: u for u in users}.values(), key=lambda u: u.pk)


def _channel(user) -> str:
    """The user's preference (the core's, shared with every notification)."""
    pref = NotificationPreference.objects.filter(user=user).values_list("channel", flat=True)
    return pref.first() or NotificationPreference.Channel.BOTH


def _email(reminder: Reminder, user) -> None:
    organization = reminder.organization
    language = organization.language if organization.language in ("en", "zh-hans") else "en"
    context = {
        "reminder": reminder,
        "organization": organization,
        "user": user,
        "link": absolute_url(reminder.url),
    }
    with organization_context(organization, language):
        subject = render_to_string(
            f"certification/email/reminder_subject.{language}.txt", context
        ).strip()
        body = render_to_string(f"certification/email/reminder_body.{language}.txt", context)
    send_mail(subject, body, None, [user.email])


def deliver(reminder_id: int) -> bool:
    """Send one reminder to every recipient not yet served. Raises OSError to be retried."""
    reminder = Reminder.objects.select_related("organization").filter(pk=reminder_id).first()
    if reminder is None or reminder.sent_at is not None:
        return False
    # Each attempt renews the queue lease, so a scan never queues a reminder being retried.
    Reminder.objects.filter(pk=reminder.pk).update(
        attempts=F("attempts") + 1, queued_at=timezone.now()
    )
    for user in recipients(reminder):
        delivery, _ = ReminderDelivery.objects.get_or_create(
            reminder=reminder, user=user, defaults={"organization_id": reminder.organization_id}
        )
        channel = _channel(user)
        if channel in ("both", "in_app") and delivery.notified_at is None:
            with transaction.atomic():
                claimed = ReminderDelivery.objects.select_for_update(of=("self",)).get(
                    pk=delivery.pk
                )
                if claimed.notified_at is None:
                    notify(
                        organization=reminder.organization,
                        user=user,
                        text=reminder.title,
                        url=reminder.url,
                        kind="reminder",
                    )
                    claimed.notified_at = timezone.now()
                    claimed.save(update_fields=["notified_at"])
        if channel in ("both", "email") and delivery.email_sent_at is None:
            lease = timezone.now() - CLAIM_LEASE
            claimed = ReminderDelivery.objects.filter(
                Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=lease),
                pk=delivery.pk,
                email_sent_at__isnull=True,
            ).update(email_claimed_at=timezone.now())
            if not claimed:
                continue  # another worker is sending it right now
            try:
                _email(reminder, user)
            except OSError as exc:
                ReminderDelivery.objects.filter(pk=delivery.pk).update(email_claimed_at=None)
                Reminder.objects.filter(pk=reminder.pk).update(last_error=str(exc)[:1000])
                raise
            ReminderDelivery.objects.filter(pk=delivery.pk).update(email_sent_at=timezone.now())
    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), last_error=""
    )
    return True
