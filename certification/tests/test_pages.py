"""The certification project, certificates and their cycle, calendars and the iCal feed."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from certification import services
from certification.models import Certificate, ChecklistItem
from itsms.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name, org=None, **kwargs):
    if org is not None:
        kwargs["org_slug"] = org.slug
    return reverse(f"certification:{name}", kwargs=kwargs)


def test_the_project_walks_six_steps_with_the_seed_checklist(client, org_a, members):
    client.force_login(members[Role.CONSULTANT])
    client.post(url("project_start", org_a))
    client.post(url("project_start", org_a))  # idempotent
    page = client.get(url("project", org_a)).content.decode()
    for title in (
        "Preparation",
        "Initial assessment and planning",
        "Closing the gap",
        "Audit preparation",
        "Certification audit",
        "Maintaining the certificate",
    ):
        assert title in page
    assert "Top-management support secured" in page
    assert "step 1, Preparation" in page
    items = ChecklistItem.objects.filter(organization=org_a, step__number=1)
    for item in items:
        client.post(url("item_toggle", org_a, pk=item.pk), {"done": "1"})
    assert "step 2, Initial assessment" in client.get(url("project", org_a)).content.decode()


def test_viewers_cannot_tick_the_checklist(client, org_a, members):
    services.project_ensure(organization=org_a)
    item = ChecklistItem.objects.filter(organization=org_a).first()
    client.force_login(members[Role.VIEWER])
    assert client.post(url("item_toggle", org_a, pk=item.pk), {"done": "1"}).status_code == 403
    assert client.post(url("project_start", org_a)).status_code == 403


def test_recording_a_certificate_shows_its_cycle(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    response = client.post(
        url("certificate_create", org_a),
        {
            "edition": "2018",
            "number": "HX-2026-001",
            "scope": "IT services supporting retail banking",
            "decision_date": "2024-02-29",
            "status": "active",
        },
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(number="HX-2026-001")
    assert cert.expires_on == date(2027, 2, 27)
    html = client.get(url("certificate_detail", org_a, pk=cert.pk)).content.decode()
    assert "2025-02-28" in html and "2026-02-28" in html and "2027-02-27" in html
    assert "Surveillance audit 1 due" in html


def test_a_recertification_follows_the_old_expiry(client, org_a, members):
    old = services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="A",
        scope="s",
        decision_date=date(2023, 3, 15),
    )
    client.force_login(members[Role.ADMIN])
    client.post(
        url("certificate_create", org_a),
        {
            "edition": "2018",
            "number": "B",
            "scope": "s",
            "decision_date": "2026-02-01",
            "status": "active",
            "previous": old.pk,
        },
    )
    new = Certificate.objects.get(number="B")
    assert (new.expires_on, new.kind) == (date(2029, 3, 14), "recertification")


def test_a_legacy_2011_certificate_shows_as_invalid_with_the_reason(client, org_a, members):
    cert = services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        edition="2011",
        number="OLD",
        scope="s",
        decision_date=date(2019, 5, 1),
    )
    client.force_login(members[Role.VIEWER])
    html = client.get(url("certificate_detail", org_a, pk=cert.pk)).content.decode()
    assert "invalid after 2021-09-15" in html
    state = re.search(r'data-testid="state">([^<]*)<', html).group(1)
    assert state == "Invalid"
    assert "Active" not in html  # not "Active" beside "not valid"
    listing = client.get(url("certificate_list", org_a)).content.decode()
    assert "Invalid" in listing and "Active" not in listing


def test_bad_certificate_input_is_a_form_error(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    response = client.post(
        url("certificate_create", org_a),
        {
            "edition": "1999",
            "number": "",
            "scope": "s",
            "decision_date": "2026-02-30",
            "status": "active",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"edition", "number", "decision_date"} <= set(errors)
    assert not Certificate.objects.exists()


def test_calendars_and_the_ical_feed_hold_only_the_users_organisations(
    client, org_a, org_b, members
):
    consultant = members[Role.CONSULTANT]
    services.certificate_record(
        organization=org_a,
        actor=consultant,
        number="A-1",
        scope="s",
        decision_date=org_a.local_today() - timedelta(days=100),
    )
    services.certificate_record(
        organization=org_b,
        actor=consultant,
        number="SECRETB-1",
        scope="s",
        decision_date=org_a.local_today(),
    )
    client.force_login(consultant)
    org_page = client.get(url("calendar", org_a)).content.decode()
    assert "surveillance audit 1 due" in org_page
    portfolio = client.get(url("portfolio_calendar")).content.decode()
    assert org_a.name in portfolio and org_b.name not in portfolio

    page = client.post(url("feed_create"), follow=True).content.decode()
    feed = re.search(r"http://testserver(/calendar/[\w-]+\.ics)", page).group(1)
    response = client.get(feed)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert any("surveillance audit 1 due" in s for s in summaries)
    assert not any("SECRETB" in s or org_b.name in s for s in summaries)

    client.post(url("feed_revoke"))
    assert client.get(feed).status_code == 404


def test_a_member_of_both_sees_both_in_the_portfolio_calendar(client, org_a, org_b, members):
    consultant = members[Role.CONSULTANT]
    MembershipFactory(organization=org_b, user=consultant, role=Role.CONSULTANT)
    services.certificate_record(
        organization=org_b,
        actor=consultant,
        number="B-1",
        scope="s",
        decision_date=org_b.local_today(),
    )
    client.force_login(consultant)
    assert org_b.name in client.get(url("portfolio_calendar")).content.decode()
