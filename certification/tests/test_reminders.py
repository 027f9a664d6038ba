"""Reminders: what is due, created once, sent once, to whom."""

from datetime import UTC, date, datetime, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import timezone

from audits import services as audit_services
from certification import reminders, services
from certification.deadlines import deadlines_for
from certification.models import Reminder, ReminderDelivery
from certification.tasks import scan_reminders
from itsms.models import Clause, Notification, NotificationPreference, Role
from itsms.notifications.services import preference_set

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def certificate(org_a, members):
    return services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="HX-2026-001",
        scope="IT services",
        decision_date=date(2026, 3, 15),
    )


def test_surveillance_reminders_90_30_7_days_before_and_overdue(certificate):
    due = date(2027, 3, 15)
    deadline = next(
        d
        for d in deadlines_for([certificate.organization], today=date(2026, 4, 1))
        if d.kind == "surveillance-1"
    )
    assert deadline.due == due
    assert reminders.due_kind(deadline, due - timedelta(days=91)) is None
    assert reminders.due_kind(deadline, due - timedelta(days=90)) == "surveillance-1:-90"
    assert reminders.due_kind(deadline, due - timedelta(days=45)) == "surveillance-1:-90"
    assert reminders.due_kind(deadline, due - timedelta(days=30)) == "surveillance-1:-30"
    assert reminders.due_kind(deadline, due - timedelta(days=7)) == "surveillance-1:-7"
    assert reminders.due_kind(deadline, due + timedelta(days=1)) == "surveillance-1:overdue"


def test_scanning_twice_creates_the_same_rows(certificate):
    now = at(date(2027, 3, 8))
    reminders.scan(now=now)
    first = set(Reminder.objects.values_list("kind", "due_date"))
    reminders.scan(now=now)
    assert set(Reminder.objects.values_list("kind", "due_date")) == first
    assert ("surveillance-1:-7", date(2027, 3, 15)) in first
    assert Reminder.objects.count() == len(first)


def test_the_organisations_time_zone_decides_the_day(org_a, certificate):
    # 2027-03-07 20:00 UTC is already 2027-03-08 in Shanghai: 7 days before 15 March.
    reminders.scan(now=datetime(2027, 3, 7, 20, tzinfo=UTC))
    assert Reminder.objects.filter(kind="surveillance-1:-7").exists()
    org_a.time_zone = "America/New_York"
    org_a.save()
    Reminder.objects.all().delete()
    reminders.scan(now=datetime(2027, 3, 7, 20, tzinfo=UTC))
    assert not Reminder.objects.filter(kind="surveillance-1:-7").exists()


def test_scan_task_sends_email_and_in_app_once(
    org_a, members, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.scan(now=at(date(2027, 3, 8)))
    for reminder_id in Reminder.objects.values_list("pk", flat=True):
        reminders.deliver(reminder_id)
        reminders.deliver(reminder_id)  # a redelivered task
    recipients = {members[Role.ADMIN].email, members[Role.CONSULTANT].email}
    sent_to = {m.to[0] for m in mail.outbox}
    assert sent_to == recipients
    assert len(mail.outbox) == 2 * Reminder.objects.count()
    assert Notification.objects.filter(user=members[Role.ADMIN]).count() == Reminder.objects.count()
    assert not ReminderDelivery.objects.filter(email_sent_at__isnull=True).exists()


def test_a_send_that_fails_then_succeeds_sends_one_email(org_a, members, certificate, monkeypatch):
    reminders.scan(now=at(date(2027, 3, 8)))
    reminder = Reminder.objects.get(kind="surveillance-1:-7")
    calls = {"n": 0}
    real = reminders._email

    def flaky(reminder, user):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SMTPException("mail server down")
        real(reminder, user)

    monkeypatch.setattr(reminders, "_email", flaky)
    with pytest.raises(OSError):
        reminders.deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is None and "mail server down" in reminder.last_error
    reminders.deliver(reminder.pk)
    reminders.deliver(reminder.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [members[Role.ADMIN].email, members[Role.CONSULTANT].email]
    )


def test_preferences_choose_the_channel(org_a, members, certificate):
    preference_set(user=members[Role.ADMIN], channel=NotificationPreference.Channel.NONE)
    preference_set(user=members[Role.CONSULTANT], channel=NotificationPreference.Channel.IN_APP)
    reminders.scan(now=at(date(2027, 3, 8)))
    for reminder_id in Reminder.objects.values_list("pk", flat=True):
        reminders.deliver(reminder_id)
    assert mail.outbox == []
    assert Notification.objects.filter(user=members[Role.CONSULTANT]).exists()
    assert not Notification.objects.filter(user=members[Role.ADMIN]).exists()


def test_nonconformity_deadline_reminders_reach_the_owner(org_a, members, audit, chen):
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    finding = audit_services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause, statement="s"
    )
    held = org_a.local_today()
    audit_services.closing_meeting_record(audit=audit, actor=chen, held_on=held)
    action = finding.corrective_action
    audit_services.action_update(
        action=action, actor=members[Role.ADMIN], owner=members[Role.CONTRIBUTOR]
    )
    deadline = held + timedelta(days=42)
    for days, kind in [(14, "-14"), (7, "-7"), (1, "-1"), (0, "-0")]:
        reminders.scan(now=at(deadline - timedelta(days=days)))
        assert Reminder.objects.filter(kind=f"nc-response:{kind}").exists()
    reminders.scan(now=at(deadline + timedelta(days=1)))
    overdue = Reminder.objects.get(kind="nc-response:overdue")
    reminders.deliver(overdue.pk)
    assert members[Role.CONTRIBUTOR].email in {m.to[0] for m in mail.outbox}
    assert "F1" in overdue.title


def test_a_2011_certificate_near_the_cutoff_is_reminded(org_a, members):
    services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        edition="2011",
        number="OLD-2011",
        scope="x",
        decision_date=date(2019, 1, 10),
    )
    reminders.scan(now=at(date(2021, 9, 1)))
    assert Reminder.objects.filter(kind="transition:-30", due_date=date(2021, 9, 15)).exists()


def test_the_scan_task_runs_the_scan_and_sends(org_a, members, django_capture_on_commit_callbacks):
    services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="N",
        scope="x",
        decision_date=org_a.local_today() - timedelta(days=340),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_reminders.delay().get() >= 1  # eager in tests: the send tasks run too
    assert Reminder.objects.filter(sent_at__isnull=False).exists()
    assert mail.outbox


def test_the_scan_runs_a_constant_number_of_queries_per_batch(
    org_a, members, django_assert_max_num_queries
):
    from tests.factories import OrganizationFactory

    def grow(n):
        for i in range(n):
            org = OrganizationFactory()
            services.certificate_record(
                organization=org,
                actor=members[Role.ADMIN],
                number=f"N{i}",
                scope="s",
                decision_date=date(2026, 3, 15),
            )

    grow(3)
    with django_assert_max_num_queries(20) as small:
        reminders.scan(now=at(date(2027, 3, 8)))
    Reminder.objects.all().delete()
    grow(30)
    with django_assert_max_num_queries(20) as large:
        reminders.scan(now=at(date(2027, 3, 8)))
    assert len(small.captured_queries) == len(large.captured_queries)
    assert Reminder.objects.count() == 33


# --- history entered after the fact sends nothing (issue 9.5) ----------------------------

TODAY = date(2026, 6, 15)


def test_historic_expired_and_superseded_certificates_send_nothing(org_a, members):
    from certification.tests.scale import grow

    orgs = grow(3, today=TODAY)
    # the 2011 certificate from 2019, entered for the record through the product
    services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        edition="2011",
        number="OLD-2011",
        scope="x",
        decision_date=date(2019, 5, 1),
    )
    reminders.scan(now=at(TODAY))
    made = set(Reminder.objects.values_list("organization_id", "kind", "due_date"))
    expected = {
        (org.pk, kind, TODAY + timedelta(days=7))
        for org in orgs
        for kind in ("surveillance-1:-7", "nc-response:-7")
    }
    assert made == expected
    assert not Reminder.objects.filter(organization=org_a).exists()
    assert not Reminder.objects.filter(due_date__lt=TODAY).exists()


def test_an_overdue_deadline_is_reminded_only_within_the_grace_period(certificate, settings):
    due = date(2027, 3, 15)
    settings.REMINDER_OVERDUE_GRACE_DAYS = 30
    reminders.scan(now=at(due + timedelta(days=30)))
    assert not Reminder.objects.filter(kind="surveillance-1:overdue").exists()
    reminders.scan(now=at(due + timedelta(days=29)))
    overdue = Reminder.objects.get(kind="surveillance-1:overdue")
    assert "at risk of suspension" in overdue.title


def test_the_recertification_reminder_shows_the_audit_date_and_the_expiry(org_a, members):
    from audits.models import CertificationBody

    body = CertificationBody.objects.create(
        organization=org_a, name="Huaxin", recertification_lead_days=60
    )
    cert = services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="R-1",
        scope="x",
        decision_date=date(2026, 3, 15),
        certification_body=body,
    )
    assert (cert.expires_on, cert.recertification_audit_due) == (
        date(2029, 3, 14),
        date(2029, 1, 13),
    )
    reminders.scan(now=at(date(2028, 12, 1)))  # 43 days before the audit's latest date
    reminder = Reminder.objects.get(kind="recertification:-90")
    assert reminder.due_date == date(2029, 1, 13)
    assert "2029-01-13" in reminder.title and "expires on 2029-03-14" in reminder.title


def test_a_body_changing_its_lead_time_moves_the_recertification_date(org_a, members):
    from audits.models import CertificationBody

    body = CertificationBody.objects.create(organization=org_a, name="Huaxin")
    cert = services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="R-2",
        scope="x",
        decision_date=date(2026, 3, 15),
        certification_body=body,
    )
    assert cert.recertification_audit_due == date(2028, 12, 14)  # the default 90 days
    body.recertification_lead_days = 30
    body.save()
    cert.refresh_from_db()
    assert cert.recertification_audit_due == date(2029, 2, 12)


# --- the queue lease: beat without a worker queues each reminder once --------------------


def test_a_second_scan_does_not_queue_what_is_already_queued(certificate, settings):
    settings.REMINDER_QUEUE_LEASE_MINUTES = 120
    now = at(date(2027, 3, 8))
    first = reminders.scan(now=now)
    assert len(first) == Reminder.objects.count() >= 1
    assert reminders.scan(now=now + timedelta(minutes=30)) == []  # nobody consumed: still leased
    lost = reminders.scan(now=now + timedelta(minutes=121))  # the lease expired: queued again
    assert sorted(lost) == sorted(first)
    for reminder_id in lost:
        reminders.deliver(reminder_id)
    assert reminders.scan(now=now + timedelta(minutes=300)) == []  # sent: never queued again


def test_a_reminder_being_retried_keeps_its_lease(certificate, monkeypatch):
    now = at(date(2027, 3, 8))
    reminders.scan(now=now)
    reminder = Reminder.objects.get(kind="surveillance-1:-7")
    Reminder.objects.filter(pk=reminder.pk).update(queued_at=now - timedelta(days=1))

    def down(reminder, user):
        raise SMTPException("mail server down")

    monkeypatch.setattr(reminders, "_email", down)
    with pytest.raises(OSError):
        reminders.deliver(reminder.pk)  # the attempt renews the lease
    assert reminder.pk not in reminders.claim(now=timezone.now())


def test_the_scan_task_queues_each_claimed_reminder_once(
    certificate, django_capture_on_commit_callbacks, monkeypatch
):
    messages = []
    monkeypatch.setattr("certification.tasks.send_reminders.delay", messages.append)
    with django_capture_on_commit_callbacks(execute=True):
        scan_reminders()
        scan_reminders()
    queued = [rid for batch in messages for rid in batch]
    assert len(queued) == len(set(queued)) == Reminder.objects.count()


def test_the_scan_task_queues_one_message_per_batch_of_reminders(
    org_a, django_capture_on_commit_callbacks, monkeypatch
):
    from certification import tasks

    made = [
        Reminder.objects.create(
            organization=org_a,
            subject_type="certificate",
            subject_id=n,
            kind="surveillance-1:-7",
            due_date=TODAY,
            title="t",
            url="/",
        ).pk
        for n in range(1, 6)
    ]
    messages = []
    monkeypatch.setattr(tasks, "QUEUE_BATCH", 2)
    monkeypatch.setattr("certification.tasks.send_reminders.delay", messages.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_reminders() >= 5
    assert [len(batch) for batch in messages][:2] == [2, 2]
    assert set(made) <= {rid for batch in messages for rid in batch}


def test_a_failing_reminder_of_a_batch_is_retried_alone(certificate, monkeypatch):
    from certification import tasks

    reminders.scan(now=at(date(2027, 3, 8)))
    ids = list(Reminder.objects.values_list("pk", flat=True))
    failing = ids[0]
    real = reminders.deliver

    def deliver(reminder_id):
        if reminder_id == failing:
            raise SMTPException("mail server down")
        return real(reminder_id)

    retried = []
    monkeypatch.setattr(reminders, "deliver", deliver)
    monkeypatch.setattr(
        "certification.tasks.send_reminder.apply_async", lambda args, **kw: retried.append(args)
    )
    assert tasks.send_reminders(ids) == len(ids) - 1
    assert retried == [(failing,)]
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 1


# --- constant queries per batch -----------------------------------------------------------


def test_the_scan_selects_and_inserts_in_a_constant_number_of_queries_per_batch(
    org_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certification.tests.scale import grow

    def scan_queries():
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            reminders.scan(now=at(TODAY), batch_size=7)
        sql = [q["sql"] for q in ctx.captured_queries]
        inserts = [q for q in sql if q.startswith("INSERT")]
        claims = [q for q in sql if q.startswith("UPDATE")]
        return len(sql), len(inserts), len(claims)

    # 7 a batch: 4 organisations make one batch of each kind and 2 claim batches (8
    # reminders); 20 make 3 of each kind (7 + 7 + 6) and 6 claim batches (40 reminders)
    grow(4, today=TODAY, tag="a")
    small, small_inserts, small_claims = scan_queries()
    grow(16, today=TODAY, tag="b")
    large, large_inserts, large_claims = scan_queries()
    assert Reminder.objects.count() == 40
    assert (small_inserts, small_claims, large_inserts, large_claims) == (2, 2, 6, 6)
    # an insert batch is one select and one INSERT; a claim batch one select and one UPDATE
    # inside its savepoint (two more statements in a test's transaction); nothing else grows
    assert large - small == 2 * (large_inserts - small_inserts) + 4 * (large_claims - small_claims)
    # the repeat scan inserts nothing and reads a fixed number of queries
    with CaptureQueriesContext(connection) as again:
        assert reminders.scan(now=at(TODAY), batch_size=7) == []
    assert not [q for q in again.captured_queries if q["sql"].startswith("INSERT")]
    grow(20, today=TODAY, tag="c")
    reminders.scan(now=at(TODAY), batch_size=7)
    with django_assert_max_num_queries(len(again.captured_queries)):
        reminders.scan(now=at(TODAY), batch_size=7)


def test_evidence_review_reminders_reach_the_owner(org_a, members):
    from itsms.models import Evidence

    owner = members[Role.CONTRIBUTOR]
    evidence = Evidence.objects.create(
        organization=org_a, title="Backup record", owner=owner, review_by=date(2027, 5, 10)
    )
    reminders.scan(now=at(date(2027, 5, 3)))
    reminder = Reminder.objects.get(subject_type="evidence", subject_id=evidence.pk)
    assert reminder.kind == "evidence-review:-7" and "Backup record" in reminder.title
    assert reminder.url.endswith(f"/evidence/{evidence.pk}/")
    reminders.deliver(reminder.pk)
    assert owner.email in {m.to[0] for m in mail.outbox}
    reminders.scan(now=at(date(2027, 5, 20)))  # not reminded when overdue
    assert Reminder.objects.filter(subject_type="evidence").count() == 1


def test_certificates_written_by_bulk_inserts_get_their_cycle_at_the_next_scan(org_a):
    from certification import rules
    from certification.models import Certificate

    decision = date(2026, 3, 15)
    Certificate.objects.bulk_create(
        [
            Certificate(
                organization=org_a,
                number="BULK-1",
                scope="s",
                decision_date=decision,
                expires_on=rules.expires_on(decision),
            )
        ]
    )
    reminders.scan(now=at(date(2027, 3, 8)))
    assert Reminder.objects.filter(kind="surveillance-1:-7", due_date=date(2027, 3, 15)).exists()
    assert Certificate.objects.get(number="BULK-1").recertification_audit_due == date(2028, 12, 14)
