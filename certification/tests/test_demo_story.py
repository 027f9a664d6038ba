"""The demo tells the seed's story (issue 12): the internal audit of the whole SMS, then stage 1
with areas of concern the bank resolved, then a stage 2 of every requirement; the project's
step follows the audits."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from audits import selectors as audit_selectors
from audits.models import Audit, AuditKind
from itsms.models import Organization, User

pytestmark = pytest.mark.django_db

WHOLE_SMS = {"4", "5", "6", "7", "8", "9", "10"}


@pytest.fixture
def bank():
    call_command("seed_demo", quiet=True)
    return Organization.objects.get(slug="eastern-harbour-bank")


def test_the_audits_follow_the_certification_path(bank, client):
    audits = {a.kind: a for a in Audit.objects.filter(organization=bank)}
    internal, stage1, stage2 = (
        audits[AuditKind.INTERNAL],
        audits[AuditKind.STAGE1],
        audits[AuditKind.STAGE2],
    )
    assert internal.closing_meeting_on < stage1.opening_meeting_on
    assert stage1.closing_meeting_on < stage2.planned_start
    for audit in (internal, stage1, stage2):
        assert {c.number for c in audit.scope_clauses.all()} == WHOLE_SMS, audit.kind
    with translation.override("en"):
        readiness = audit_selectors.outcome_for(stage1)
    assert readiness.positive and readiness.kind == "stage2_readiness"
    assert "All 2 areas of concern are resolved." in readiness.reasons
    concerns = stage1.findings.filter(grade="concern")
    assert concerns.count() == 2 and all(f.resolved_on and f.resolution for f in concerns)
    chen = User.objects.get(email="chen@huaxin.example")
    assert [a.audit.kind for a in chen.audit_assignments.all()] == [AuditKind.STAGE2]

    # The project stands at step 5, the certification audit; the page shows the resolutions.
    client.force_login(User.objects.get(email="li@northbridge.example"))
    page = client.get(reverse("certification:project", args=[bank.slug])).content.decode()
    assert "step 5," in page
    detail = client.get(reverse("audits:audit_detail", args=[bank.slug, stage1.pk]))
    assert detail.content.decode().count('data-testid="concern-resolved"') == 2
