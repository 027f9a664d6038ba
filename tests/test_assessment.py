"""The gap assessment: start, inline edits, roll-ups, assignments, history, bad input."""

import pytest
from django.urls import reverse

from itsms.assessment import selectors as gap
from itsms.assessment import services
from itsms.models import ClauseAssessment, Role
from itsms.shared import permissions

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(org_a, members):
    services.gap_assessment_start(organization=org_a, actor=members[Role.CONSULTANT])
    return org_a


def row(org, number):
    return ClauseAssessment.objects.get(organization=org, clause__number=number)


def post_row(client, org, assessment, js=True, **changes):
    """Post one row as the tree's script does (JSON answer), or as the plain form."""
    data = {
        "clause": assessment.clause.number,
        "status": assessment.status,
        "maturity": assessment.maturity,
        "owner": assessment.owner_id or "",
        "target_date": assessment.target_date or "",
        "other_party": assessment.other_party,
        "other_party_name": assessment.other_party_name,
        "notes": assessment.notes,
        "version": assessment.version,
        **changes,
    }
    headers = {"HTTP_ACCEPT": "application/json"} if js else {}
    url = reverse("itsms:assessment_row", kwargs={"org_slug": org.slug, "pk": assessment.pk})
    return client.post(url, data, **headers)


def test_starting_creates_the_57_requirement_clauses_once(org_a, members, client):
    client.force_login(members[Role.CONSULTANT])
    url = reverse("itsms:assessment_start", kwargs={"org_slug": org_a.slug})
    client.post(url)
    client.post(url)
    assert ClauseAssessment.objects.filter(organization=org_a).count() == 57
    assert not ClauseAssessment.objects.filter(organization=org_a, clause__number="8.6").exists()


def test_a_contributor_cannot_start_it(org_a, members, client):
    client.force_login(members[Role.CONTRIBUTOR])
    response = client.post(reverse("itsms:assessment_start", kwargs={"org_slug": org_a.slug}))
    assert response.status_code == 403
    assert not ClauseAssessment.objects.exists()


def test_the_tree_shows_77_clauses_with_57_editable_rows(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    html = client.get(reverse("itsms:assessment", kwargs={"org_slug": started.slug})).content
    html = html.decode()
    assert html.count('data-clause="') == 57
    assert html.count('class="arow heading') == 20
    assert html.count('class="arow leaf editable') == 57


def test_an_inline_edit_saves_and_updates_the_roll_ups(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    response = post_row(client, started, row(started, "8.6.1"), status="implemented", maturity=3)
    assert response.status_code == 200
    answer = response.json()
    heading = row(started, "8.6.1").clause.parent
    assert answer["outcome"] == "saved" and answer["message"] == "Saved."
    assert answer["rollups"][str(heading.pk)] == 33
    in_chapter_8 = [n for n in gap.leaf_numbers() if n.startswith("8.")]
    assert answer["rollups"][str(heading.parent.pk)] == round(100 / len(in_chapter_8))
    assert answer["overall"] == 2 and answer["clause"] == "8.6.1" and answer["version"] == 2
    saved = row(started, "8.6.1")
    assert (saved.status, saved.maturity, saved.version) == ("implemented", 3, 2)


def test_without_javascript_the_row_form_redirects_back_to_the_clause(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    response = post_row(client, started, row(started, "7.5.1"), js=False, status="planned")
    assert response.status_code == 302 and response["Location"].endswith("#clause-7.5.1")
    assert row(started, "7.5.1").status == "planned"


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"maturity": 7}, "maturity"),
        ({"status": "not_applicable"}, "status"),
        ({"target_date": "31/02/2027"}, "target_date"),
        ({"other_party": "martians"}, "other_party"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    started, members, client, changes, field
):
    client.force_login(members[Role.CONSULTANT])
    before = row(started, "8.6.1")
    response = post_row(client, started, before, **changes)
    assert response.status_code == 400
    assert response.json()["outcome"] == "invalid" and field in response.json()["errors"]
    assert response.json()["message"] != "Saved."
    after = row(started, "8.6.1")
    assert (after.version, after.status, after.maturity) == (before.version, "not_started", 0)


def test_an_owner_from_another_organisation_is_refused(started, members, client, org_b):
    stranger = MembershipFactory(organization=org_b, user=UserFactory()).user
    client.force_login(members[Role.CONSULTANT])
    response = post_row(client, started, row(started, "8.6.1"), owner=stranger.pk)
    assert response.status_code == 400
    assert row(started, "8.6.1").owner is None


def test_a_stale_edit_does_not_overwrite_a_colleagues_change(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    loaded = row(started, "9.2")
    services.assessment_update(assessment=loaded, actor=members[Role.ADMIN], status="implemented")
    response = post_row(client, started, loaded, status="planned", notes="mine")
    assert response.status_code == 409
    assert response.json()["outcome"] == "conflict"
    assert "nothing was overwritten" in response.json()["message"]
    assert row(started, "9.2").status == "implemented"


def test_a_contributor_edits_only_the_clauses_assigned_to_them(started, members, client):
    zhao = members[Role.CONTRIBUTOR]
    mine = row(started, "8.6.1")
    services.assessment_update(assessment=mine, actor=members[Role.ADMIN], owner=zhao)
    client.force_login(zhao)
    assert post_row(client, started, row(started, "8.6.1"), status="partial").status_code == 200
    assert post_row(client, started, row(started, "8.6.2"), status="partial").status_code == 403
    assert row(started, "8.6.2").status == "not_started"
    html = client.get(reverse("itsms:assessment", kwargs={"org_slug": started.slug})).content
    assert html.decode().count('class="arow leaf editable') == 1

    # Reassigned to someone else: the right goes with it.
    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=members[Role.ADMIN], owner=members[Role.ADMIN]
    )
    assert not permissions.can_on(zhao, gap.CHANGE_PERM, row(started, "8.6.1"))
    assert post_row(client, started, row(started, "8.6.1"), status="planned").status_code == 403


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.VIEWER])
def test_auditors_and_viewers_read_but_never_edit(started, members, client, role):
    client.force_login(members[role])
    page = client.get(reverse("itsms:assessment", kwargs={"org_slug": started.slug}))
    assert page.status_code == 200 and 'class="arow leaf editable' not in page.content.decode()
    assert post_row(client, started, row(started, "4.1"), status="planned").status_code == 403


def test_bulk_assign_a_chapter(started, members, client):
    zhao = members[Role.CONTRIBUTOR]
    client.force_login(members[Role.CONSULTANT])
    heading = row(started, "8.6.1").clause.parent
    client.post(
        reverse("itsms:assessment_bulk_assign", kwargs={"org_slug": started.slug}),
        {"heading": heading.pk, "owner": zhao.pk, "target_date": "2027-03-31"},
    )
    assigned = ClauseAssessment.objects.filter(organization=started, owner=zhao)
    assert sorted(a.clause.number for a in assigned) == ["8.6.1", "8.6.2", "8.6.3"]
    assert all(permissions.can_on(zhao, gap.CHANGE_PERM, a) for a in assigned)
    client.force_login(zhao)
    work = client.get(reverse("itsms:my_work", kwargs={"org_slug": started.slug}))
    assert work.content.decode().count("8.6.") >= 3


def test_the_history_shows_who_changed_what(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    post_row(client, started, row(started, "8.6.1"), status="partial")
    post_row(client, started, row(started, "8.6.1"), status="implemented")
    page = client.get(
        reverse(
            "itsms:assessment_row",
            kwargs={"org_slug": started.slug, "pk": row(started, "8.6.1").pk},
        )
    )
    html = page.content.decode()
    assert "Alpha consultant" in html
    assert "<del>Partially implemented</del>" in html or "<del>partial</del>" in html


def test_the_dashboard_and_portfolio_reflect_the_assessment(started, members, client):
    client.force_login(members[Role.VIEWER])
    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=members[Role.ADMIN], status="implemented"
    )
    services.assessment_update(
        assessment=row(started, "9.2"),
        actor=members[Role.ADMIN],
        status="planned",
        target_date=started.local_today().replace(year=2020),
    )
    dashboard = client.get(reverse("itsms:dashboard", kwargs={"org_slug": started.slug}))
    html = dashboard.content.decode()
    overall = round(100 * (1 + 0.25) / 57)
    assert f"{overall} %" in html
    assert "Overdue targets" in html and "9.2" in html
    assert "Changed this week" in html
    portfolio = client.get(reverse("itsms:portfolio")).content.decode()
    assert f"{overall} %" in portfolio and "9.2 Internal audit: overdue since 2020" in portfolio


def test_the_dashboard_shows_the_readiness_trend(started, members, client):
    from datetime import timedelta

    from itsms.models import ReadinessSnapshot

    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=members[Role.ADMIN], status="implemented"
    )
    services.snapshot_readiness(started)
    today = ReadinessSnapshot.objects.get(organization=started)
    assert (today.day, today.self_assessed) == (started.local_today(), round(100 / 57))
    services.snapshot_readiness(started)  # hourly runs update the day's row in place
    assert ReadinessSnapshot.objects.filter(organization=started).count() == 1
    ReadinessSnapshot.objects.create(
        organization=started, day=started.local_today() - timedelta(days=30), self_assessed=0
    )
    client.force_login(members[Role.VIEWER])
    html = client.get(reverse("itsms:dashboard", kwargs={"org_slug": started.slug}))
    assert 'data-testid="trend"' in html.content.decode()
    assert "polyline" in html.content.decode()


def test_the_tree_filters_with_the_apis_filterset(started, members, client):
    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=members[Role.ADMIN], status="implemented"
    )
    client.force_login(members[Role.CONSULTANT])
    url = reverse("itsms:assessment", kwargs={"org_slug": started.slug})
    html = client.get(url, {"status": "implemented"}).content.decode()
    assert html.count('data-clause="') == 1 and 'data-clause="8.6.1"' in html
    assert "1 clause shown" in html
    chapter = client.get(url, {"chapter": "8.6"}).content.decode()
    assert chapter.count('data-clause="') == 3


def test_management_downloads_the_readiness_report_pdf(started, members, client, tmp_path):
    import shutil
    import subprocess

    from .conftest import need_service

    started.scope = "上海数据中心零售银行IT服务"
    started.save()
    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=members[Role.ADMIN], status="implemented"
    )
    client.force_login(members[Role.VIEWER])
    response = client.get(reverse("itsms:readiness_report", kwargs={"org_slug": started.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    need_service(bool(shutil.which("pdftotext")), "pdftotext (poppler-utils)")
    pdf = tmp_path / "readiness.pdf"
    pdf.write_bytes(response.content)
    command = [shutil.which("pdftotext"), str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True).stdout  # noqa: S603
    assert "Alpha Bank" in text and "8.6.1 Incident management" in text
    assert "上海数据中心" in text.replace("\n", "")
    compact = text.replace(" ", "")
    assert f"SelfassessedreadinessEvidencedreadiness{round(100 / 57)}%0%" in compact.replace(
        "\n", ""
    ).replace("-", "")


def test_the_tree_shows_new_clauses_and_the_27001_counterpart(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    html = client.get(reverse("itsms:assessment", kwargs={"org_slug": started.slug})).content
    html = html.decode()
    row_75 = html[html.index('data-clause="7.5.1"') :][:2000]
    assert "27001 7.5.1" in row_75
    row_825 = html[html.index('data-clause="8.2.5"') :][:2000]
    assert "new in 2018" in row_825


def test_a_row_names_its_clause_and_a_request_meant_for_another_is_refused(
    started, members, client
):
    client.force_login(members[Role.CONSULTANT])
    target = row(started, "4.1")
    response = post_row(client, started, target, clause="8.2.3", notes="typed for 8.2.3")
    assert response.status_code == 400 and response.json()["outcome"] == "misdirected"
    assert "8.2.3" in response.json()["message"] and response.json()["message"] != "Saved."
    assert row(started, "4.1").notes == "" and row(started, "4.1").version == target.version


def test_a_row_without_its_version_is_refused(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    response = post_row(client, started, row(started, "4.1"), version="", notes="x")
    assert response.status_code == 400 and "version" in response.json()["errors"]
    assert row(started, "4.1").notes == ""


def test_a_row_saved_unchanged_writes_no_version_and_no_history(started, members, client):
    client.force_login(members[Role.CONSULTANT])
    before = row(started, "8.6.1")
    records = before.history.count()
    response = post_row(client, started, before)
    assert response.status_code == 200 and response.json()["outcome"] == "unchanged"
    after = row(started, "8.6.1")
    assert after.version == before.version and after.history.count() == records


def test_every_field_of_every_row_has_an_id_of_its_own(started, members, client):
    from .harness.round_trip import duplicate_ids, parse

    client.force_login(members[Role.CONSULTANT])
    html = client.get(reverse("itsms:assessment", kwargs={"org_slug": started.slug})).content
    html = html.decode()
    assert duplicate_ids(html) == []
    row_forms = [f for f in parse(html).forms if "data-row" in f.attrs]
    assert len(row_forms) == 57
    for form in row_forms:
        key = "a-" + form.attrs["data-clause"].replace(".", "-")
        named = {c.name: c.attrs.get("id") for c in form.controls if c.name}
        assert named["clause"] is None and named["version"] is None  # hidden, no id needed
        for name in ("status", "maturity", "owner", "target_date", "notes"):
            assert named[name] == f"{key}-{name}"


@pytest.mark.parametrize(
    "language,date_text,owner_label",
    [("en", "Nov. 22, 2026", "Owner"), ("zh-hans", "2026年11月22日", "负责人")],
)
def test_the_history_says_who_changed_which_field_in_words(
    started, members, client, settings, language, date_text, owner_label
):
    from datetime import date

    zhao = members[Role.CONTRIBUTOR]
    clause = row(started, "9.2")
    services.assessment_update(
        assessment=clause,
        actor=members[Role.ADMIN],
        owner=zhao,
        status="planned",
        target_date=date(2026, 11, 22),
    )
    client.force_login(members[Role.CONSULTANT])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("itsms:assessment_row", kwargs={"org_slug": started.slug, "pk": clause.pk})
    html = client.get(url).content.decode()
    history = html[html.index('data-testid="history"') :]
    assert f"{owner_label}: <del>—</del> → <ins>{zhao.full_name}</ins>" in history
    assert f"<ins>{date_text}</ins>" in history
    planned = "Planned" if language == "en" else "已计划"
    assert f"<ins>{planned}</ins>" in history
    assert f"<ins>{zhao.pk}</ins>" not in history  # a name, never an id
    assert "Alpha admin" in history


def test_changed_this_week_names_the_fields_once_per_clause_and_person(started, members, client):
    consultant, admin = members[Role.CONSULTANT], members[Role.ADMIN]
    services.assessment_update(assessment=row(started, "8.6.1"), actor=consultant, status="planned")
    services.assessment_update(assessment=row(started, "8.6.1"), actor=consultant, notes="Gap")
    services.assessment_update(
        assessment=row(started, "8.6.1"), actor=consultant, status="implemented"
    )
    services.assessment_update(
        assessment=row(started, "9.2"), actor=admin, owner=members[Role.CONTRIBUTOR]
    )
    services.assessment_update(assessment=row(started, "9.3"), actor=admin, maturity=2)
    services.assessment_update(assessment=row(started, "9.3"), actor=admin, maturity=0)
    client.force_login(members[Role.VIEWER])
    html = client.get(reverse("itsms:dashboard", kwargs={"org_slug": started.slug})).content
    html = html.decode()
    changes = html[html.index('data-testid="changes"') :]
    changes = changes[: changes.index("</section>")]
    assert changes.count('data-clause="8.6.1"') == 1  # three saves, one line
    line = changes[changes.index('data-clause="8.6.1"') :].split("</li>")[0]
    assert "Status: <del>Not started</del> → <ins>Implemented</ins>" in line
    assert "Notes: <del>—</del> → <ins>Gap</ins>" in line
    assert "Alpha consultant" in line
    assert f"Owner: <del>—</del> → <ins>{members[Role.CONTRIBUTOR].full_name}</ins>" in changes
    assert 'data-clause="9.3"' not in changes  # changed and changed back: nothing to say
