"""The audits app's FilterSets, through the API and through the audit list page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audits import services
from audits.models import ActionState, Audit, AuditKind, CertificationBody, CorrectiveAction
from itsms.models import Clause, Role

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def page(org):
    return reverse("audits:audit_list", kwargs={"org_slug": org.slug})


def past_audit(org, admin, title, *, days_ago, held_days_ago, body=None, kind=None):
    """An audit started ``days_ago`` days ago whose closing meeting was ``held_days_ago``."""
    today = org.local_today()
    audit = services.audit_create(
        organization=org,
        actor=admin,
        kind=kind or (AuditKind.SURVEILLANCE if body else AuditKind.INTERNAL),
        title=title,
        certification_body=body,
        planned_start=today - timedelta(days=days_ago),
        planned_end=today - timedelta(days=days_ago - 1),
    )
    finding = services.finding_record(
        audit=audit, actor=admin, grade="minor", clause=clause("8.2.1"), statement=title
    )
    services.closing_meeting_record(
        audit=audit, actor=admin, held_on=today - timedelta(days=held_days_ago)
    )
    return audit, finding.corrective_action


@pytest.fixture
def world(org_a, members, audit, chen, body):
    """Three audits and their findings.

    - ``audit`` (stage 2, body with the default 42-day window): F1 minor 8.6.1, F2 major 8.6.3,
      F3 observation 8.7.1, closing meeting today: nothing overdue.
    - ``internal`` (no body, default window), closed 100 days ago: its action is overdue.
    - ``tight`` (a body with a 10-day window), closed exactly 10 days ago: due today, not late.
    """
    admin = members[Role.ADMIN]
    f1 = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause("8.6.1"), statement="s1"
    )
    f2 = services.finding_record(
        audit=audit, actor=chen, grade="major", clause=clause("8.6.3"), statement="s2"
    )
    f3 = services.finding_record(
        audit=audit, actor=chen, grade="observation", clause=clause("8.7.1"), statement="s3"
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    tight_body = CertificationBody.objects.create(
        organization=org_a, name="Tight CB", response_window_days=10
    )
    internal, internal_action = past_audit(
        org_a, admin, "Internal audit", days_ago=120, held_days_ago=100
    )
    tight, tight_action = past_audit(
        org_a, admin, "Tight audit", days_ago=20, held_days_ago=10, body=tight_body
    )
    return {
        "admin": admin,
        "audit": audit,
        "findings": (f1, f2, f3),
        "internal": internal,
        "internal_action": internal_action,
        "tight": tight,
        "tight_action": tight_action,
        "tight_body": tight_body,
    }


def api_get(api_client, route, user, org, **params):
    api_client.force_authenticate(user)
    return api_client.get(reverse(f"audits-api:{route}"), {"organization": org.slug, **params})


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- API ---------------------------------------------------------------------------------


def test_audit_filters_in_the_api(api_client, org_a, world, body):
    admin, audit, internal, tight = (
        world["admin"],
        world["audit"],
        world["internal"],
        world["tight"],
    )
    get = lambda **p: ids(api_get(api_client, "audit-list", admin, org_a, **p))  # noqa: E731
    assert get() == {audit.pk, internal.pk, tight.pk}
    assert get(kind="internal") == {internal.pk}
    assert get(kind="stage2") == {audit.pk}
    assert get(status="closing_held") == {audit.pk, internal.pk, tight.pk}
    assert get(status="planned") == set()
    assert get(year=audit.planned_start.year) >= {audit.pk}
    assert get(year=1999) == set()
    assert get(certification_body=body.pk) == {audit.pk}
    assert get(certification_body=world["tight_body"].pk) == {tight.pk}


def test_finding_filters_in_the_api(api_client, org_a, world):
    admin = world["admin"]
    f1, f2, f3 = world["findings"]
    internal_finding = world["internal_action"].finding
    tight_finding = world["tight_action"].finding
    get = lambda **p: ids(api_get(api_client, "finding-list", admin, org_a, **p))  # noqa: E731
    assert get(grade="minor") == {f1.pk, internal_finding.pk, tight_finding.pk}
    assert get(grade="major") == {f2.pk}
    assert get(audit=world["audit"].pk) == {f1.pk, f2.pk, f3.pk}
    assert get(clause="8.6") == {f1.pk, f2.pk}  # a heading includes its own
    assert get(clause="8.6.1") == {f1.pk}
    assert get(clause="8") == {f1.pk, f2.pk, f3.pk, internal_finding.pk, tight_finding.pk}
    assert get(clause="8.2") == {internal_finding.pk, tight_finding.pk}
    CorrectiveAction.objects.filter(finding=f1).update(state=ActionState.VERIFIED)
    assert get(open="true") == {f2.pk, internal_finding.pk, tight_finding.pk}
    assert get(open="false") == {f1.pk, f3.pk}  # verified, and an observation
    assert get(open="true", audit=world["audit"].pk, grade="major") == {f2.pk}


def test_corrective_action_filters_in_the_api(api_client, org_a, world):
    admin, audit = world["admin"], world["audit"]
    f1, f2, _f3 = world["findings"]
    a1, a2 = f1.corrective_action, f2.corrective_action
    late, tight = world["internal_action"], world["tight_action"]
    get = lambda **p: ids(api_get(api_client, "action-list", admin, org_a, **p))  # noqa: E731
    assert get() == {a1.pk, a2.pk, late.pk, tight.pk}
    assert get(audit=audit.pk) == {a1.pk, a2.pk}
    assert get(grade="major") == {a2.pk}
    assert get(grade="minor") == {a1.pk, late.pk, tight.pk}
    # The deadline follows each audit's window: 42 days by default, 10 for the tight body.
    assert get(overdue="true") == {late.pk}
    assert get(overdue="false") == {a1.pk, a2.pk, tight.pk}
    closed = org_a.local_today() - timedelta(days=11)  # due yesterday
    Audit.objects.filter(pk=world["tight"].pk).update(closing_meeting_on=closed)
    # Submitted on the last day: in time, not overdue while it waits for the auditor.
    CorrectiveAction.objects.filter(pk=tight.pk).update(
        state=ActionState.SUBMITTED, submitted_on=closed + timedelta(days=10)
    )
    assert get(overdue="true") == {late.pk}
    assert tight.pk in get(overdue="false")
    # Submitted a day late: overdue until the auditor accepts it.
    CorrectiveAction.objects.filter(pk=tight.pk).update(submitted_on=closed + timedelta(days=11))
    assert get(overdue="true") == {late.pk, tight.pk}
    assert get(overdue="true", state="submitted") == {tight.pk}
    # An accepted plan is no longer late, whatever its deadline.
    CorrectiveAction.objects.filter(pk=late.pk).update(state=ActionState.ACCEPTED)
    assert get(overdue="true") == {tight.pk}
    assert late.pk in get(overdue="false")
    assert get(state="accepted") == {late.pk}


def test_the_sql_overdue_filter_agrees_with_is_overdue(org_a, world):
    from audits.filters import CorrectiveActionFilterSet

    today = org_a.local_today()
    actions = CorrectiveAction.objects.filter(organization=org_a)
    expected = {a.pk for a in actions.select_related("finding__audit") if a.is_overdue(today)}
    filterset = CorrectiveActionFilterSet({"overdue": "true"}, queryset=actions, organization=org_a)
    assert {a.pk for a in filterset.qs} == expected == {world["internal_action"].pk}


@pytest.mark.parametrize(
    "route,params",
    [
        ("audit-list", {"kind": "audit-by-the-moon"}),
        ("audit-list", {"status": "nope"}),
        ("audit-list", {"year": "last"}),
        ("audit-list", {"year": "2026.5"}),
        ("audit-list", {"certification_body": "huaxin"}),
        ("finding-list", {"grade": "terrible"}),
        ("finding-list", {"audit": "x"}),
        ("action-list", {"state": "lost"}),
        ("action-list", {"grade": "observation"}),  # an observation has no corrective action
    ],
)
def test_a_bad_filter_value_answers_400(api_client, org_a, members, route, params):
    response = api_get(api_client, route, members[Role.ADMIN], org_a, **params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_filters_do_not_widen_an_auditors_view(api_client, org_a, world, chen):
    """The external auditor filtering by another audit still sees only their own audit."""
    response = api_get(api_client, "finding-list", chen, org_a, audit=world["internal"].pk)
    assert ids(response) == set()
    response = api_get(api_client, "action-list", chen, org_a, overdue="true")
    assert ids(response) == set()


# --- page --------------------------------------------------------------------------------


def test_the_audit_list_page_filters_audits(client, org_a, world, body):
    client.force_login(world["admin"])
    response = client.get(page(org_a), {"kind": "internal"})
    assert response.status_code == 200
    assert [a.pk for a in response.context["audits"]] == [world["internal"].pk]
    html = response.content.decode()
    assert 'data-testid="audit-filter"' in html and "Internal audit" in html
    response = client.get(page(org_a), {"certification_body": body.pk})
    assert [a.pk for a in response.context["audits"]] == [world["audit"].pk]
    response = client.get(page(org_a), {"year": 1999})
    assert response.context["audits"] == []
    assert "No audit matches these filters." in response.content.decode()


def test_the_audit_list_page_filters_open_actions(client, org_a, world):
    client.force_login(world["admin"])
    response = client.get(page(org_a), {"overdue": "true"})
    assert [a.pk for a in response.context["actions"]] == [world["internal_action"].pk]
    html = response.content.decode()
    assert 'data-testid="action-filter"' in html and "overdue-badge" in html
    response = client.get(page(org_a), {"grade": "major"})
    assert [a.finding.grade for a in response.context["actions"]] == ["major"]
    response = client.get(page(org_a), {"audit": world["tight"].pk, "kind": "surveillance"})
    assert [a.pk for a in response.context["actions"]] == [world["tight_action"].pk]
    assert [a.pk for a in response.context["audits"]] == [world["tight"].pk]
    # Each form carries the other's values.
    assert response.context["audit_params"] == [("kind", "surveillance")]
    assert response.context["action_params"] == [("audit", str(world["tight"].pk))]
    response = client.get(page(org_a), {"state": "verified"})
    assert response.context["actions"] == []  # the table lists open actions only
    assert "No corrective action matches these filters." in response.content.decode()


def test_a_bad_filter_value_on_the_page_says_so(client, org_a, world):
    client.force_login(world["admin"])
    response = client.get(page(org_a), {"kind": "nope", "state": "lost"})
    assert response.status_code == 200
    assert response.context["audits"] == [] and response.context["actions"] == []
    assert response.content.decode().count('role="alert"') >= 2


def test_the_filtered_page_keeps_a_constant_number_of_queries(
    client, org_a, world, body, django_assert_max_num_queries
):
    client.force_login(world["admin"])
    params = {"status": "closing_held", "overdue": "true", "grade": "minor"}
    client.get(page(org_a), params)  # warm per-process caches
    with django_assert_max_num_queries(30) as small:
        assert client.get(page(org_a), params).status_code == 200
    for i in range(5):
        past_audit(org_a, world["admin"], f"Old {i}", days_ago=200 + i, held_days_ago=150)
        past_audit(org_a, world["admin"], f"Body {i}", days_ago=90, held_days_ago=60, body=body)
    with django_assert_max_num_queries(30) as large:
        response = client.get(page(org_a), params)
    assert len(response.context["actions"]) == 11
    assert len(small.captured_queries) == len(large.captured_queries)
