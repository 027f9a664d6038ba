"""Journey 4 in Chromium: the reminder arrives in the bell; the calendar holds the cycle."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from certification import reminders, services
from certification.models import Reminder
from itsms.models import Notification, Role
from tests.test_browser import SHOTS, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chromium_available"),
]


def test_the_bell_shows_a_reminder_and_the_calendar_the_cycle(page, live_server, org_a, members):
    wang = members[Role.ADMIN]
    certificate = services.certificate_record(
        organization=org_a,
        actor=wang,
        number="HX-2026-001",
        scope="IT services",
        decision_date=org_a.local_today() - timedelta(days=360),
    )
    for reminder_id in reminders.scan():
        reminders.deliver(reminder_id)
    assert Reminder.objects.filter(kind="surveillance-1:-7").exists()

    sign_in(page, live_server, wang.email)
    page.get_by_role("link", name=org_a.name).click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("bell").click()  # the bell of the top bar, on every page
    notice = page.get_by_test_id("notifications").get_by_role("button")
    expect(notice).to_contain_text("surveillance audit 1 due")
    notice.click()
    expect(page.get_by_test_id("cycle")).to_contain_text("Surveillance audit 1 due")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert Notification.objects.get(user=wang).read_at is not None

    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Calendar").click()
    due = certificate.surveillance_due_dates()[0].isoformat()
    expect(page.get_by_test_id("calendar")).to_contain_text(due)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_test_id("calendar")).to_contain_text(org_a.name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "calendar.png"), full_page=True)
