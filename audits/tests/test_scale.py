"""Audit pages stay cheap with hundreds of findings and actions: capped lists with "show all",
and a number of queries that does not grow with the data (issue 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audits import selectors, services
from audits.models import CorrectiveAction, Finding
from itsms.models import Clause, Role

pytestmark = pytest.mark.django_db


def grow(audit, n, grade="minor"):
    """n more findings in ``audit`` (closing meeting held), each nonconformity with its action."""
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    start = audit.findings.count() + 1
    findings = Finding.objects.bulk_create(
        Finding(
            organization=audit.organization,
            audit=audit,
            number=number,
            reference=Finding.reference_for(audit.number, number),
            grade=grade,
            clause=clause,
            statement=f"Bulk finding {number}",
        )
        for number in range(start, start + n)
    )
    if grade in ("major", "minor"):
        CorrectiveAction.objects.bulk_create(
            CorrectiveAction(organization=audit.organization, finding=f) for f in findings
        )


@pytest.fixture
def held(org_a, audit, chen):
    """The stage 2 audit of the fixtures, its closing meeting held 100 days ago."""
    day = org_a.local_today() - timedelta(days=100)
    type(audit).objects.filter(pk=audit.pk).update(actual_start=day)
    audit.refresh_from_db()
    return services.closing_meeting_record(audit=audit, actor=chen, held_on=day)


def page(client, path, django_assert_max_num_queries, budget, **params):
    with django_assert_max_num_queries(budget) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_audit_list_shows_the_first_open_actions_and_a_link_to_all(
    client, org_a, held, members, django_assert_max_num_queries
):
    client.force_login(members[Role.ADMIN])
    path = reverse("audits:audit_list", kwargs={"org_slug": org_a.slug})
    grow(held, 60)
    client.get(path)  # warm per-process caches
    small, small_queries = page(client, path, django_assert_max_num_queries, 16)
    assert len(small.context["actions"]) == selectors.ACTIONS_SHOWN == 25
    assert small.context["actions_total"] == 60
    html = small.content.decode()
    assert "The first 25 of 60 open corrective actions." in html
    assert "actions=all" in html and html.count("A1-F") == 25
    grow(held, 240)
    large, large_queries = page(client, path, django_assert_max_num_queries, 16)
    assert len(large.context["actions"]) == 25 and large.context["actions_total"] == 300
    assert small_queries == large_queries
    every, _ = page(client, path, django_assert_max_num_queries, 16, actions="all")
    assert len(every.context["actions"]) == 300
    assert 'data-testid="actions-capped"' not in every.content.decode()
    # The filters still apply to the capped list, and every one is overdue (100 days ago).
    overdue, _ = page(client, path, django_assert_max_num_queries, 16, overdue="true")
    assert overdue.context["actions_total"] == 300
    assert all(a.overdue for a in overdue.context["actions"])


def test_the_audit_page_lists_the_latest_findings_and_a_link_to_all(
    client, org_a, held, chen, django_assert_max_num_queries
):
    client.force_login(chen)
    path = reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": held.pk})
    grow(held, 60, grade="observation")
    client.get(path)
    small, small_queries = page(client, path, django_assert_max_num_queries, 32)
    shown = [f.number for f in small.context["findings"]]
    assert shown == list(range(36, 61))  # the latest 25, in number order
    html = small.content.decode()
    assert "The latest 25 of 60 findings." in html and "?findings=all" in html
    grow(held, 540, grade="minor")  # 600 findings, 540 with an action
    large, large_queries = page(client, path, django_assert_max_num_queries, 32)
    assert len(large.context["findings"]) == 25 and large.context["findings_total"] == 600
    assert small_queries == large_queries
    every, _ = page(client, path, django_assert_max_num_queries, 32, findings="all")
    assert len(every.context["findings"]) == 600
    # The recommendation still reads every nonconformity, not only those shown.
    assert len(large.context["outcome"].reasons) == 540
    assert "… and 530 more" in large.content.decode()


@pytest.mark.parametrize("show_all", [False, True])
def test_recording_a_finding_in_the_page_keeps_the_view_and_shows_the_new_one(
    client, org_a, audit, chen, show_all
):
    grow(audit, 55, grade="observation")
    client.force_login(chen)
    data = {"grade": "observation", "statement": "Capacity plan not reviewed this year"}
    if show_all:
        data["findings"] = "all"
    response = client.post(
        reverse("audits:finding_create", kwargs={"org_slug": org_a.slug, "pk": audit.pk}),
        data,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="card" id="findings-panel"')  # the panel only
    assert "Capacity plan not reviewed this year" in html and ">A1-F56</a>" in html
    assert len(response.context["findings"]) == (56 if show_all else 25)
    assert ('name="findings" value="all"' in html) is show_all


def test_the_dashboard_panel_shows_counts_and_the_most_urgent_few(
    client, org_a, held, members, django_assert_max_num_queries
):
    from itsms.assessment.services import gap_assessment_start

    gap_assessment_start(organization=org_a, actor=members[Role.ADMIN])
    client.force_login(members[Role.ADMIN])
    path = reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug})
    grow(held, 15, grade="minor")
    grow(held, 5, grade="major")
    client.get(path)
    small, small_queries = page(client, path, django_assert_max_num_queries, 26)
    html = small.content.decode()
    panel = html[html.index('data-testid="open-nonconformities"') :]
    panel = panel[: panel.index("</section>")]
    assert "5 major · 15 minor · " in panel and "20 overdue" in panel
    assert panel.count("<li") == selectors.PANEL_SHOWN == 10
    assert panel.index("Major nonconformity") < panel.index("Minor nonconformity")  # majors first
    assert "10 more — all open corrective actions" in panel
    grow(held, 800, grade="minor")
    large, large_queries = page(client, path, django_assert_max_num_queries, 26)
    panel = large.content.decode()
    panel = panel[panel.index('data-testid="open-nonconformities"') :]
    assert "815 minor" in panel and panel[: panel.index("</section>")].count("<li") == 10
    assert small_queries == large_queries


def test_the_dashboard_panel_orders_by_deadline_in_sql(org_a, audit, held, chen, members):
    from audits.models import AuditKind

    later = services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.INTERNAL,
        title="Later internal audit",
        planned_start=org_a.local_today() - timedelta(days=3),
        planned_end=org_a.local_today() - timedelta(days=2),
    )
    grow(later, 3)
    services.closing_meeting_record(
        audit=later, actor=members[Role.ADMIN], held_on=org_a.local_today()
    )
    grow(held, 3)
    counts, rows = selectors.open_nonconformities(org_a, org_a.local_today(), limit=4)
    assert counts == {"majors": 0, "minors": 6, "overdue": 3}
    assert [r.finding.reference for r in rows] == ["A1-F1", "A1-F2", "A1-F3", "A2-F1"]
    assert [r.overdue for r in rows] == [True, True, True, False]


def test_bulk_inserts_number_audits_and_reference_findings_as_saving_does(org_a, org_b, audit):
    from datetime import UTC, date, datetime

    from audits.models import Audit

    day = date(2026, 5, 4)
    rows = Audit.objects.bulk_create(
        Audit(organization=org, kind="internal", title=t, planned_start=day, planned_end=day)
        for org, t in ((org_a, "a"), (org_b, "b"), (org_a, "c"))
    )
    assert [(a.title, a.number) for a in rows] == [("a", 2), ("b", 1), ("c", 3)]
    findings = Finding.objects.bulk_create(
        Finding(organization=org_a, audit=a, number=1, grade="minor", statement="s")
        for a in (rows[0], rows[2])
    )
    assert [f.reference for f in findings] == ["A2-F1", "A3-F1"]
    # Submitted at 17:00 UTC on 4 May: 5 May in Shanghai (org_a's zone).
    action = CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                organization=org_a,
                finding=findings[0],
                state="submitted",
                submitted_at=datetime(2026, 5, 4, 17, tzinfo=UTC),
            )
        ]
    )[0]
    assert str(org_a.time_zone) == "Asia/Shanghai"
    assert CorrectiveAction.objects.get(pk=action.pk).submitted_on == date(2026, 5, 5)
