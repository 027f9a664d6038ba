from datetime import date

import pytest
from django.urls import reverse

from certification import services
from itsms.models import Role

pytestmark = pytest.mark.django_db


def test_certificates_carry_their_computed_dates_and_validity(api_client, org_a, members):
    api_client.force_authenticate(members[Role.ADMIN])
    response = api_client.post(
        reverse("certification-api:certificate-list"),
        {
            "organization": org_a.slug,
            "edition": "2011",
            "number": "C-2011",
            "scope": "s",
            "decision_date": "2019-01-10",
            "expires_on": "2099-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["expires_on"] == "2022-01-09"  # computed, not taken from the payload
    assert data["surveillance_due_dates"] == ["2020-01-10", "2021-01-10"]
    assert data["validity"]["valid"] is False and "2021-09-15" in data["validity"]["reason"]


def test_viewers_read_but_do_not_record_certificates(api_client, org_a, members):
    services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="X",
        scope="s",
        decision_date=date(2026, 1, 1),
    )
    api_client.force_authenticate(members[Role.VIEWER])
    listing = api_client.get(
        reverse("certification-api:certificate-list"), {"organization": org_a.slug}
    )
    assert listing.status_code == 200 and listing.json()["count"] == 1
    denied = api_client.post(
        reverse("certification-api:certificate-list"),
        {
            "organization": org_a.slug,
            "number": "Y",
            "scope": "s",
            "decision_date": "2026-01-01",
        },
        format="json",
    )
    assert denied.status_code == 403


def test_bad_dates_answer_400(api_client, org_a, members):
    api_client.force_authenticate(members[Role.ADMIN])
    response = api_client.post(
        reverse("certification-api:certificate-list"),
        {
            "organization": org_a.slug,
            "number": "Y",
            "scope": "s",
            "decision_date": "2026-13-01",
        },
        format="json",
    )
    assert response.status_code == 400 and "decision_date" in response.json()
