"""Reminders: what is due, created once, sent once, to whom."""

from datetime import UTC, date, datetime, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail

from audits import services as audit_services
from certification import reminders, services
from certification.models import NotificationPreference, Reminder, ReminderDelivery
from certification.tasks import scan_reminders
from itsms.models import Clause, Notification, Role

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
        d for d in reminders.deadlines_for([certificate.organization]) if d.kind == "surveillance-1"
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
    services.preference_set(user=members[Role.ADMIN], channel=NotificationPreference.Channel.NONE)
    services.preference_set(
        user=members[Role.CONSULTANT], channel=NotificationPreference.Channel.IN_APP
    )
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
