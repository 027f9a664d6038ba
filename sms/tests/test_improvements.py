"""The improvement register (10.2): each step needs what it stands for, the dates of a decision
and of a review are taken when not given, the organisation's criteria are shown where the
opportunity is evaluated, and a form typed in Chinese comes back unchanged."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from itsms.models import Role
from sms import services
from sms.models import Improvement

from .factories import improvement

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


def url(name, org, **kwargs):
    return reverse(f"sms:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"status": "evaluated"}, "evaluation"),
        ({"status": "approved", "evaluation": "Worth it"}, "decision"),
        ({"status": "implemented", "evaluation": "E", "decision": "Do it"}, "implemented_on"),
        (
            {"status": "reviewed", "evaluation": "E", "decision": "D", "implemented_on": "today"},
            "review_notes",
        ),
    ],
)
def test_each_step_needs_what_it_stands_for(org_a, admin, changes, field):
    row = improvement(org_a, admin)
    if changes.get("implemented_on") == "today":
        changes["implemented_on"] = org_a.local_today()
    with pytest.raises(ValidationError) as refused:
        services.improvement_update(improvement=row, actor=admin, **changes)
    assert field in refused.value.message_dict
    assert Improvement.objects.get(pk=row.pk).status == "proposed"  # nothing changed


def test_the_path_to_reviewed_stamps_the_decision_and_the_review(org_a, admin):
    today = org_a.local_today()
    row = improvement(org_a, admin, source="audit", source_reference="IA-2026-01")
    assert row.raised_on == today and row.reference == "OFI-001"
    row = services.improvement_update(
        improvement=row,
        actor=admin,
        status="approved",
        evaluation="High benefit for the change process, low cost",
        decision="Automate it in Q3",
        target_date=today - timedelta(days=1),
    )
    assert row.decided_on == today
    assert row.is_overdue(today) and not row.is_closed
    row = services.improvement_update(
        improvement=row,
        actor=admin,
        status="reviewed",
        implemented_on=today,
        review_notes="Change collisions down from 6 to 1 a month",
    )
    assert row.reviewed_on == today and row.is_closed and not row.is_overdue(today)
    assert not Improvement.objects.filter(Improvement.open_q(), pk=row.pk).exists()


def test_it_cannot_be_implemented_before_it_was_raised(org_a, admin):
    row = improvement(org_a, admin)
    with pytest.raises(ValidationError) as refused:
        services.improvement_update(
            improvement=row, actor=admin, implemented_on=row.raised_on - timedelta(days=3)
        )
    assert "implemented_on" in refused.value.message_dict


def test_the_page_shows_the_criteria_and_a_chinese_form_comes_back_unchanged(client, org_a, admin):
    services.settings_update(
        organization=org_a, actor=admin, improvement_criteria="对客户的影响；成本；不实施的风险"
    )
    client.force_login(admin)
    client.cookies["django_language"] = "zh-hans"
    typed = {
        "title": "自动化变更日历",
        "description": "减少变更冲突",
        "source": "customer",
        "source_reference": "投诉 C-17",
        "raised_on": "2026-11-02",
        "evaluation": "收益高，成本低",
        "benefit": "high",
        "decision": "第三季度实施",
        "target_date": "2027-03-31",
        "status": "approved",
    }
    form = client.get(url("improvement_create", org_a))
    assert "对客户的影响；成本；不实施的风险" in form.content.decode()
    created = client.post(url("improvement_create", org_a), typed)
    assert created.status_code == 302, created.content.decode()[:2000]
    row = Improvement.objects.get(organization=org_a)
    for name, value in typed.items():
        assert str(getattr(row, name)) == value, name
    assert row.decided_on == org_a.local_today()
    page = client.get(url("improvement_detail", org_a, pk=row.pk)).content.decode()
    assert "自动化变更日历" in page and "对客户的影响" in page and "已批准" in page


def test_the_api_refuses_a_decision_without_an_evaluation(api_client, org_a, admin):
    api_client.force_authenticate(admin)
    answer = api_client.post(
        reverse("sms-api:improvement-list"),
        {"organization": org_a.slug, "title": "Self-service resets", "status": "approved"},
        format="json",
    )
    assert answer.status_code == 400 and "evaluation" in answer.json()
    assert not Improvement.objects.filter(organization=org_a).exists()
