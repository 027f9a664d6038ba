"""The certificate page, the stored cycle and the reminders count surveillance by one rule."""

import re
from datetime import date

import pytest
from django.urls import reverse

from audits import services as audit_services
from audits.models import AuditKind
from certification import services
from certification.deadlines import deadlines_for
from certification.models import Certificate
from itsms.models import Organization, Role

pytestmark = pytest.mark.django_db

DECISION = date(2025, 2, 10)


@pytest.fixture
def on(monkeypatch):
    """Set the organisations' today."""

    def set_today(day):
        monkeypatch.setattr(Organization, "local_today", lambda self: day)

    return set_today


@pytest.fixture
def certificate(org_a, members):
    return services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="HX-2025-001",
        scope="IT services",
        decision_date=DECISION,
    )


def surveillance(org, actor, start, held_on=None):
    audit = audit_services.audit_create(
        organization=org,
        actor=actor,
        kind=AuditKind.SURVEILLANCE,
        title=f"Surveillance {start:%Y-%m}",
        planned_start=start,
        planned_end=start,
    )
    if held_on:
        audit_services.closing_meeting_record(audit=audit, actor=actor, held_on=held_on)
    return audit


def page(client, org, cert):
    url = reverse("certification:certificate_detail", kwargs={"org_slug": org.slug, "pk": cert.pk})
    return client.get(url).content.decode()


def test_a_calendar_year_without_surveillance_is_flagged_on_page_and_in_deadlines(
    client, org_a, members, certificate, on
):
    """Decision 2025-02-10, first surveillance held 2025-12-05, second planned January 2027."""
    admin = members[Role.ADMIN]
    on(date(2025, 12, 5))
    surveillance(org_a, admin, date(2025, 12, 3), held_on=date(2025, 12, 5))
    surveillance(org_a, admin, date(2027, 1, 18))
    certificate.refresh_from_db()
    assert (certificate.surveillance_number, certificate.surveillance_due) == (
        2,
        date(2026, 12, 31),
    )

    on(date(2026, 6, 1))
    client.force_login(admin)
    html = page(client, org_a, certificate)
    assert "planned for 2027-01-18, after its due date 2026-12-31" in html
    assert "at least once in calendar year 2026" in html
    assert 'data-testid="suspension-risk"' not in html

    items = deadlines_for([org_a], today=date(2026, 6, 1))
    due = next(d for d in items if d.kind.startswith("surveillance"))
    assert (due.kind, due.due) == ("surveillance-2", date(2026, 12, 31))
    assert "calendar year 2026" in due.title

    on(date(2027, 1, 5))
    html = page(client, org_a, certificate)
    assert "No surveillance audit was held in 2026." in html
    assert 'data-testid="suspension-risk"' in html and "risk of suspension" in html


def test_a_planned_surveillance_counts_only_once_its_closing_meeting_is_held(
    client, org_a, members, certificate, on
):
    admin = members[Role.ADMIN]
    on(date(2025, 11, 1))
    audit = surveillance(org_a, admin, date(2025, 11, 3))
    certificate.refresh_from_db()
    assert certificate.surveillance_number == 1  # planned, not held: still due
    client.force_login(admin)
    timeline = page(client, org_a, certificate)
    assert "Surveillance audit 1 due" in timeline and "Surveillance audit 1 held" not in timeline

    on(date(2025, 11, 5))
    audit_services.closing_meeting_record(audit=audit, actor=admin, held_on=date(2025, 11, 5))
    certificate.refresh_from_db()
    assert certificate.surveillance_number == 2  # the stored cycle moved with the audit
    assert "Surveillance audit 1 held" in page(client, org_a, certificate)
    kinds = {d.kind for d in deadlines_for([org_a], today=date(2025, 11, 5))}
    assert "surveillance-1" not in kinds and "surveillance-2" in kinds


def test_the_page_shows_the_recertification_audit_date_and_the_expiry(
    client, org_a, members, certificate, on
):
    on(date(2026, 1, 1))
    client.force_login(members[Role.VIEWER])
    html = page(client, org_a, certificate)
    assert "Latest date of the recertification audit" in html and "2027-11-11" in html
    assert "Certificate expires" in html and "2028-02-09" in html


def test_a_superseded_certificate_says_so_and_leaves_the_calendar(
    client, org_a, members, certificate, on
):
    on(date(2027, 11, 1))
    renewed = services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="HX-2027-009",
        scope="IT services",
        decision_date=date(2027, 10, 20),
        previous=certificate,
    )
    client.force_login(members[Role.ADMIN])
    html = page(client, org_a, certificate)
    state = re.search(r'data-testid="state">([^<]*)<', html).group(1)
    assert state == "Superseded" and "Replaced by certificate HX-2027-009" in html
    subjects = {d.subject_id for d in deadlines_for([org_a], today=date(2027, 11, 1))}
    assert certificate.pk not in subjects and renewed.pk in subjects


def test_an_update_through_the_api_recomputes_the_cycle_and_records_one_history_row(
    api_client, org_a, members, certificate
):
    api_client.force_authenticate(members[Role.ADMIN])
    url = reverse("certification-api:certificate-detail", kwargs={"pk": certificate.pk})
    before = certificate.history.count()
    response = api_client.patch(url, {"decision_date": "2025-03-01"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["expires_on"] == "2028-02-29"
    assert data["recertification_audit_due"] == "2027-12-01"
    assert data["surveillance_due"] == "2026-03-01"
    assert data["validity"]["state"] in ("valid", "expired")
    assert Certificate.objects.get(pk=certificate.pk).history.count() == before + 1


def test_the_certification_body_form_has_its_lead_time(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    url = reverse("certification:body_create", kwargs={"org_slug": org_a.slug})
    html = client.get(url).content.decode()
    assert 'name="recertification_lead_days"' in html and 'value="90"' in html
