"""Review-by dates of the registers are reminded through the certification reminder scan,
exactly once, to the owner and the organisation's admins, and shown on the calendars."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.urls import reverse

from certification import reminders
from certification.deadlines import deadlines_for
from certification.models import Reminder, ReminderDelivery
from itsms.models import Notification, Role
from itsms.shared.hooks import deadline_providers
from sms import services

from .factories import agreement, objective, risk, supplier

pytestmark = pytest.mark.django_db

DUE = date(2027, 5, 10)


def at(day):
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


@pytest.fixture
def owner(members):
    return members[Role.CONTRIBUTOR]


def test_every_register_with_a_review_date_is_a_deadline_provider():
    types = {p.subject_type for p in deadline_providers()}
    assert {"sms-risk", "sms-objective", "sms-supplier", "sms-agreement"} <= types


def test_a_risk_review_is_reminded_once_to_its_owner_and_the_admins(org_a, admin, owner):
    row = risk(org_a, admin, title="Ransomware", owner=owner, review_by=DUE)
    reminders.scan(now=at(date(2027, 5, 3)))
    reminders.scan(now=at(date(2027, 5, 3)))  # a second scan creates nothing
    reminder = Reminder.objects.get(subject_type="sms-risk", subject_id=row.pk)
    assert reminder.kind == "risk-review:-7" and reminder.due_date == DUE
    assert "R-001" in reminder.title and "Ransomware" in reminder.title
    assert reminder.url == reverse("sms:risk_detail", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    reminders.deliver(reminder.pk)
    reminders.deliver(reminder.pk)  # a redelivered task sends nothing twice
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted({owner.email, admin.email, f"{Role.CONSULTANT}@alpha.example"})
    assert ReminderDelivery.objects.filter(reminder=reminder).count() == 3
    assert Notification.objects.filter(user=owner, url=reminder.url).count() == 1


def test_each_offset_fires_once_and_a_closed_record_is_not_reminded(org_a, admin, owner):
    row = objective(org_a, admin, owner=owner, review_by=DUE)
    done = supplier(org_a, admin, review_by=DUE, status="inactive")
    for day in (date(2027, 4, 10), date(2027, 4, 11), date(2027, 5, 3), date(2027, 5, 10)):
        reminders.scan(now=at(day))
    kinds = sorted(
        Reminder.objects.filter(subject_type="sms-objective", subject_id=row.pk).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["objective-review:-0", "objective-review:-30", "objective-review:-7"]
    assert not Reminder.objects.filter(subject_type="sms-supplier", subject_id=done.pk).exists()


def test_the_reminder_speaks_the_organisations_language(org_a, admin):
    org_a.language = "zh-hans"
    org_a.save()
    row = agreement(org_a, admin, title="Colocation contract", review_by=DUE)
    reminders.scan(now=at(date(2027, 5, 3)))
    title = Reminder.objects.get(subject_type="sms-agreement", subject_id=row.pk).title
    assert title == f"{org_a.name}：协议 AGR-001“Colocation contract”的评审到期"


def test_review_dates_are_on_the_calendar(client, org_a, admin):
    row = risk(org_a, admin, title="Flood", review_by=DUE)
    found = [
        d for d in deadlines_for([org_a], today=date(2027, 5, 1)) if d.subject_type == "sms-risk"
    ]
    assert [(d.subject_id, d.due, d.kind) for d in found] == [(row.pk, DUE, "risk-review")]
    services.risk_update(risk=row, actor=admin, version=row.version, status="closed")
    assert not [
        d for d in deadlines_for([org_a], today=date(2027, 5, 1)) if d.subject_type == "sms-risk"
    ]
