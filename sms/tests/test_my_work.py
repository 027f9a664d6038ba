""" "My work" lists the open records and treatment actions a user owns, in one query."""

from datetime import timedelta

import pytest
from django.urls import reverse

from itsms.models import Role
from sms import services
from sms.hooks import my_records

from .factories import agreement, objective, risk, supplier

pytestmark = pytest.mark.django_db


def test_my_work_lists_what_the_user_owns_and_what_is_overdue(
    client, org_a, members, django_assert_num_queries
):
    admin, zhao = members[Role.ADMIN], members[Role.CONTRIBUTOR]
    today = org_a.local_today()
    mine = risk(org_a, admin, title="Ransomware", owner=zhao, review_by=today - timedelta(days=1))
    objective(org_a, admin, title="Availability", owner=zhao, review_by=today + timedelta(days=9))
    supplier(org_a, admin, title="Closed one", owner=zhao, status="inactive")  # not open
    agreement(org_a, admin, title="Someone else's", owner=admin)
    services.action_create(
        risk=mine,
        actor=admin,
        description="Roll out EDR",
        owner=zhao,
        due_date=today + timedelta(days=3),
    )
    with django_assert_num_queries(1):
        items = my_records(zhao, org_a)
    shown = {(i.kind, i.reference, i.title, i.overdue) for i in items}
    assert shown == {
        ("Risk", "R-001", "Ransomware", True),
        ("Objective", "OBJ-001", "Availability", False),
        ("Treatment action", "R-001", "Roll out EDR", False),
    }
    client.force_login(zhao)
    page = client.get(reverse("itsms:my_work", kwargs={"org_slug": org_a.slug}))
    assert "Roll out EDR" in page.content.decode() and "Closed one" not in page.content.decode()
