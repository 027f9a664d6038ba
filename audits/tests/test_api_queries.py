"""The audits API lists run a constant number of queries, whatever the number of audits,
findings and actions (issue 13): no query per row."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from audits.models import Audit, CorrectiveAction, Finding
from itsms.models import Clause, Role

pytestmark = pytest.mark.django_db


def grow(org, body, n, findings_each=3):
    """n more audits in ``org``, each with findings and their corrective actions."""
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    start = (Audit.objects.filter(organization=org).order_by("-number").first().number or 0) + 1
    audits = Audit.objects.bulk_create(
        Audit(
            organization=org,
            number=number,
            kind="stage2",
            title=f"Audit {number}",
            certification_body=body,
            planned_start=date(2026, 3, 2) + timedelta(days=number),
            planned_end=date(2026, 3, 4) + timedelta(days=number),
            closing_meeting_on=date(2026, 3, 4) + timedelta(days=number),
        )
        for number in range(start, start + n)
    )
    findings = Finding.objects.bulk_create(
        Finding(
            organization=org,
            audit=audit,
            number=k,
            reference=Finding.reference_for(audit.number, k),
            grade="minor",
            clause=clause,
            statement=f"Finding {k}",
        )
        for audit in audits
        for k in range(1, findings_each + 1)
    )
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(organization=org, finding=f) for f in findings
    )


@pytest.mark.parametrize(
    "url_name,budget",
    [
        ("audits-api:audit-list", 12),
        ("audits-api:finding-list", 10),
        ("audits-api:action-list", 10),
        ("audits-api:body-list", 8),
    ],
)
def test_audit_api_lists_use_constant_queries(
    api_client, org_a, members, audit, body, django_assert_max_num_queries, url_name, budget
):
    api_client.force_authenticate(members[Role.ADMIN])
    url = reverse(url_name)
    params = {"organization": org_a.slug}
    grow(org_a, body, 5)
    api_client.get(url, params)  # warm per-process caches (content types, ...)
    with django_assert_max_num_queries(budget) as small:
        assert api_client.get(url, params).status_code == 200
    grow(org_a, body, 60)
    with django_assert_max_num_queries(budget) as large:
        assert api_client.get(url, params).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
