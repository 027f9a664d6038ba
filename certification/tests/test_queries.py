"""Calendars, the reminder scan and the portfolio's next deadlines: constant queries, date
windows in SQL, and plans that do not depend on the planner's statistics."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification import reminders, selectors
from certification.deadlines import deadlines_for
from certification.models import Certificate
from certification.tests.scale import grow
from itsms.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def join(orgs, user):
    Membership.objects.bulk_create(
        Membership(organization=o, user=user, role=Role.CONSULTANT) for o in orgs
    )


def count(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("portfolio", [False, True])
def test_calendars_run_constant_queries(
    client, org_a, members, django_assert_max_num_queries, portfolio
):
    li = members[Role.CONSULTANT]
    client.force_login(li)
    url = (
        reverse("certification:portfolio_calendar")
        if portfolio
        else reverse("certification:calendar", kwargs={"org_slug": org_a.slug})
    )
    join(grow(3, today=date.today(), tag="a"), li)
    client.get(url)  # warm per-process caches
    small, _html = count(client, django_assert_max_num_queries, url, 20)
    join(grow(30, today=date.today(), tag="b"), li)
    large, html = count(client, django_assert_max_num_queries, url, 20)
    assert small == large
    if portfolio:
        assert "Client b29: surveillance audit 1 due" in html
        assert "LEGACY-2011" not in html and "RENEWED" not in html.split("OLD")[0]


def test_the_calendar_window_is_cut_in_sql_with_show_all(client, org_a, members):
    li = members[Role.CONSULTANT]
    join(grow(120, today=date.today(), tag="w"), li)  # 240 deadlines in the window
    client.force_login(li)
    url = reverse("certification:portfolio_calendar")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert 'data-testid="calendar-more"' in html and html.count("<tr") - 1 == 200
    windowed = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and " BETWEEN " not in q["sql"]
        and "ORDER BY" in q["sql"]
        and ('"surveillance_due" >=' in q["sql"] or '"expires_on" >=' in q["sql"])
    ]
    assert windowed and all(sql.rstrip().endswith("LIMIT 201") for sql in windowed)
    everything = client.get(url, {"all": "1"}).content.decode()
    assert 'data-testid="calendar-more"' not in everything and everything.count("<tr") - 1 > 200


def test_deadlines_outside_the_window_are_not_read(org_a):
    orgs = grow(2, today=TODAY, tag="x")
    items = deadlines_for(
        Organization.objects.filter(pk__in=[o.pk for o in orgs]),
        today=TODAY,
        start=TODAY,
        end=TODAY + timedelta(days=10),
    )
    assert sorted((d.kind, d.due) for d in items) == sorted(
        [("surveillance-1", TODAY + timedelta(days=7))] * 2
        + [("nc-response", TODAY + timedelta(days=7))] * 2
    )


def test_each_organisations_next_deadline_in_four_queries(org_a, django_assert_max_num_queries):
    def next_of(orgs):
        queryset = Organization.objects.filter(pk__in=[o.pk for o in orgs])
        with django_assert_max_num_queries(4) as ctx:
            result = selectors.next_deadlines(queryset, TODAY)
        sizes.append(len(ctx.captured_queries))
        return result

    sizes = []

    from audits.models import ActionState, CorrectiveAction

    def answer_the_old_ones():
        """Leave only the deadlines due in a week: the old response answered, and the
        renewed certificate's overdue first surveillance gone with it."""
        CorrectiveAction.objects.filter(finding__audit__title="Audit past").update(
            state=ActionState.VERIFIED
        )
        Certificate.objects.filter(number="RENEWED").delete()

    small_orgs = grow(2, today=TODAY, tag="n")
    overdue = next_of(small_orgs)[small_orgs[0].pk]
    assert overdue.kind == "nc-response" and overdue.due < TODAY  # still open: most urgent
    answer_the_old_ones()
    sizes.clear()
    small = next_of(small_orgs)
    orgs = grow(25, today=TODAY, tag="m")
    answer_the_old_ones()
    large = next_of(orgs)
    assert len(small) == 2 and len(large) == 25 and sizes[0] == sizes[1]
    first = large[orgs[0].pk]
    # surveillance 1 and the response are both due in a week; the earlier-listed kind wins
    assert first.due == TODAY + timedelta(days=7)
    assert first.title in ("Surveillance audit 1 due", "Response to A1-F1 (Minor nonconformity, —)")
    # an overdue response is the most urgent
    from audits.models import Audit

    Audit.objects.filter(organization=orgs[1], title="Audit now").update(
        closing_meeting_on=TODAY - timedelta(days=50)
    )
    urgent = selectors.next_deadlines(Organization.objects.filter(pk=orgs[1].pk), TODAY)
    assert urgent[orgs[1].pk].kind == "nc-response"
    assert urgent[orgs[1].pk].due == TODAY - timedelta(days=8)
    assert urgent[orgs[1].pk].url.endswith(f"/corrective-actions/{urgent[orgs[1].pk].subject_id}/")


def plans_after_analyze(run):
    """EXPLAIN every query ``run`` makes, after ANALYZE (SQLite) / ANALYZE (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as ctx:
        run()
    plans = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans.append((sql, [row[-1] for row in cursor.fetchall()]))
            else:
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql)
                plans.append((sql, [row[0] for row in cursor.fetchall()]))
                cursor.execute("RESET enable_seqscan")
    return plans


def full_scans(plans, tables=("certification_certificate", "certification_reminder")):
    bad = []
    for sql, lines in plans:
        for line in lines:
            for table in tables:
                if connection.vendor == "sqlite":
                    if line.startswith(f"SCAN {table}") and "INDEX" not in line:
                        bad.append((line, sql[:200]))
                elif f"Seq Scan on {table}" in line:
                    bad.append((line, sql[:200]))
    return bad


@pytest.mark.parametrize("size", [5, 60])
def test_no_full_scan_of_certificates_or_reminders_after_analyze(org_a, members, size):
    """The certificate-successor join and the date windows stay index lookups (issue 13)."""
    orgs = grow(size, today=TODAY, tag=f"p{size}")
    Certificate.objects.filter(organization__in=orgs[: size // 2]).update(
        surveillance_due=None
    )  # skewed statistics
    reminders.scan(now=reminders.timezone.make_aware(reminders.timezone.datetime(2026, 6, 15)))
    organizations = Organization.objects.filter(pk__in=[o.pk for o in orgs])

    def run():
        reminders.scan(now=reminders.timezone.make_aware(reminders.timezone.datetime(2026, 6, 16)))
        deadlines_for(
            organizations,
            today=TODAY,
            start=TODAY - timedelta(days=31),
            end=TODAY + timedelta(days=400),
            include_audits=True,
            limit=201,
        )
        selectors.next_deadlines(organizations, TODAY)
        list(Certificate.objects.filter(organization=orgs[0]).select_related("successor"))

    plans = plans_after_analyze(run)
    assert plans
    assert full_scans(plans) == []
