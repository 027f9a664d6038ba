"""Each organisation's processes: who may edit which, lost updates, validation, history."""

import pytest
from django.urls import reverse

from itsms.models import Role
from itsms.shared import hooks
from processes import permissions as process_permissions
from processes import selectors, services
from processes.models import ProcessInstance, ProcessStatus
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(org_a):
    services.process_instances_ensure(org_a)
    return ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")


@pytest.fixture
def problem(org_a, incident):
    return ProcessInstance.objects.get(organization=org_a, clause__number="8.6.3")


def assign(process, owner, actor):
    return services.process_instance_update(
        instance=process, actor=actor, version=process.version, owner=owner
    )


def edit_url(org, process):
    return reverse("processes:process_edit", kwargs={"org_slug": org.slug, "pk": process.pk})


def form_data(process, **changes):
    data = {
        "status": process.status,
        "maturity": process.maturity,
        "purpose": process.purpose,
        "procedure_reference": process.procedure_reference,
        "last_review_date": "",
        "version": process.version,
    }
    if process.owner_id:
        data["owner"] = process.owner_id
    data.update(changes)
    return data


def test_a_consultant_edits_any_process_and_history_records_who(
    client, org_a, consultant, incident
):
    client.force_login(consultant)
    response = client.post(
        edit_url(org_a, incident),
        form_data(incident, status=ProcessStatus.PARTIAL, maturity=3, purpose="Restore fast"),
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.maturity, incident.version) == ("partial", 3, 2)
    last = incident.history.order_by("-history_date").first()
    assert last.history_user == consultant and last.maturity == 3
    detail = client.get(
        reverse("processes:process_detail", kwargs={"org_slug": org_a.slug, "pk": incident.pk})
    )
    assert "Partially implemented" in detail.content.decode()
    assert "Restore fast" in detail.content.decode()


def test_a_contributor_edits_only_the_process_assigned_to_them(
    client, org_a, members, consultant, incident, problem
):
    contributor = members[Role.CONTRIBUTOR]
    assign(incident, contributor, consultant)
    incident.refresh_from_db()
    client.force_login(contributor)
    own = client.post(edit_url(org_a, incident), form_data(incident, maturity=2))
    assert own.status_code == 302
    incident.refresh_from_db()
    assert incident.maturity == 2 and incident.owner == contributor
    other = client.post(edit_url(org_a, problem), form_data(problem, maturity=4))
    assert other.status_code == 403
    assert client.get(edit_url(org_a, problem)).status_code == 403
    problem.refresh_from_db()
    assert problem.maturity == 0


def test_a_contributor_cannot_reassign_their_process(client, org_a, members, consultant, incident):
    contributor = members[Role.CONTRIBUTOR]
    assign(incident, contributor, consultant)
    incident.refresh_from_db()
    client.force_login(contributor)
    page = client.get(edit_url(org_a, incident)).content.decode()
    assert 'name="owner"' not in page
    client.post(edit_url(org_a, incident), form_data(incident, owner=consultant.pk))
    incident.refresh_from_db()
    assert incident.owner == contributor


def test_reassigning_a_process_revokes_the_previous_owners_right(
    client, api_client, org_a, members, consultant, incident
):
    contributor = members[Role.CONTRIBUTOR]
    colleague = MembershipFactory(organization=org_a, role=Role.CONTRIBUTOR).user
    incident = assign(incident, contributor, consultant)
    assert process_permissions.may_edit_process(contributor, incident)
    incident = assign(incident, colleague, consultant)
    assert not contributor.has_perm(process_permissions.CHANGE_PROCESS, incident)
    fresh = type(contributor).objects.get(pk=contributor.pk)  # no cached permissions
    assert not process_permissions.may_edit_process(fresh, incident)
    assert process_permissions.may_edit_process(colleague, incident)
    client.force_login(fresh)
    assert client.post(edit_url(org_a, incident), form_data(incident)).status_code == 403
    api_client.force_authenticate(fresh)
    url = reverse("processes-api:process-detail", args=[incident.pk])
    patch = api_client.patch(url, {"maturity": 5, "version": incident.version}, format="json")
    assert patch.status_code == 403


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_viewers_and_auditors_change_nothing(client, api_client, org_a, members, incident, role):
    user = members[role]
    client.force_login(user)
    assert client.get(edit_url(org_a, incident)).status_code == 403
    assert (
        client.post(edit_url(org_a, incident), form_data(incident, maturity=5)).status_code == 403
    )
    api_client.force_authenticate(user)
    url = reverse("processes-api:process-detail", args=[incident.pk])
    patch = api_client.patch(url, {"maturity": 5, "version": 1}, format="json")
    assert patch.status_code == 403
    incident.refresh_from_db()
    assert incident.maturity == 0
    detail = client.get(
        reverse("processes:process_detail", kwargs={"org_slug": org_a.slug, "pk": incident.pk})
    )
    assert detail.status_code == 200 and "Edit process" not in detail.content.decode()


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, org_a, consultant, incident):
    client.force_login(consultant)
    loaded = form_data(incident)  # both editors load version 1
    first = client.post(edit_url(org_a, incident), {**loaded, "purpose": "First editor"})
    assert first.status_code == 302
    second = client.post(edit_url(org_a, incident), {**loaded, "purpose": "Second editor"})
    assert second.status_code == 409
    assert "changed by someone else" in second.content.decode()
    incident.refresh_from_db()
    assert incident.purpose == "First editor" and incident.version == 2


def test_a_stale_api_edit_answers_409(api_client, consultant, incident):
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-detail", args=[incident.pk])
    assert api_client.patch(url, {"purpose": "A", "version": 1}, format="json").status_code == 200
    stale = api_client.patch(url, {"purpose": "B", "version": 1}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()
    missing = api_client.patch(url, {"purpose": "C"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    incident.refresh_from_db()
    assert incident.purpose == "A"


def test_maturity_7_is_a_clear_error(client, api_client, org_a, consultant, incident):
    client.force_login(consultant)
    response = client.post(edit_url(org_a, incident), form_data(incident, maturity=7))
    assert response.status_code == 400
    assert "less than or equal to 5" in response.content.decode()
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-detail", args=[incident.pk])
    api = api_client.patch(url, {"maturity": 7, "version": 1}, format="json")
    assert api.status_code == 400 and "maturity" in api.json()
    junk = api_client.patch(url, {"maturity": "high", "version": 1}, format="json")
    assert junk.status_code == 400
    incident.refresh_from_db()
    assert incident.maturity == 0 and incident.version == 1


def test_an_owner_from_another_organisation_is_refused(
    client, api_client, org_a, org_b, consultant, incident
):
    stranger = MembershipFactory(organization=org_b, role=Role.CONTRIBUTOR).user
    client.force_login(consultant)
    response = client.post(edit_url(org_a, incident), form_data(incident, owner=stranger.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-detail", args=[incident.pk])
    api = api_client.patch(url, {"owner": stranger.email, "version": 1}, format="json")
    assert api.status_code == 400 and "owner" in api.json()
    # a user who shares another organisation with the consultant is no member of org_a either
    shared = OrganizationFactory()
    MembershipFactory(organization=shared, user=consultant, role=Role.CONSULTANT)
    neighbour = MembershipFactory(organization=shared, role=Role.CONTRIBUTOR).user
    api = api_client.patch(url, {"owner": neighbour.email, "version": 1}, format="json")
    assert api.status_code == 400
    # the same answer as for an address nobody has: no account probing
    unknown = api_client.patch(
        url, {"owner": "nobody@nowhere.example", "version": 1}, format="json"
    )
    assert api.json()["owner"] == [f"Object with email={neighbour.email} does not exist."]
    assert unknown.json()["owner"] == ["Object with email=nobody@nowhere.example does not exist."]
    incident.refresh_from_db()
    assert incident.owner is None


def test_the_service_refuses_a_non_member_owner(org_a, consultant, incident):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        assign(incident, UserFactory(), consultant)
    assert "owner" in error.value.message_dict


def test_the_api_lists_only_the_organisations_processes_and_filters_by_chapter(
    api_client, org_a, consultant
):
    api_client.force_authenticate(consultant)
    url = reverse("processes-api:process-list")
    rows = api_client.get(url, {"organization": org_a.slug}).json()["results"]
    assert len(rows) == 22 and {r["organization"] for r in rows} == {org_a.slug}
    chapter = api_client.get(url, {"organization": org_a.slug, "chapter": "8.6"}).json()
    assert [r["clause"]["number"] for r in chapter["results"]] == ["8.6.1", "8.6.2", "8.6.3"]
    assert api_client.get(url).status_code == 400


def test_the_process_list_filters_by_status_and_chapter(client, org_a, consultant, incident):
    assign(incident, consultant, consultant)
    client.force_login(consultant)
    url = reverse("processes:process_list", kwargs={"org_slug": org_a.slug})
    html = client.get(url, {"chapter": "8.6"}).content.decode()
    assert "8.6.1" in html and "8.5.1" not in html
    mine = client.get(url, {"mine": "true"}).content.decode()
    assert "Incident management" in mine and "Problem management" not in mine
    bad = client.get(url, {"status": "nonsense"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_my_work_lists_the_processes_a_user_owns(org_a, members, consultant, incident):
    contributor = members[Role.CONTRIBUTOR]
    services.process_instance_update(
        instance=incident,
        actor=consultant,
        version=1,
        owner=contributor,
        last_review_date=org_a.local_today().replace(year=org_a.local_today().year - 2),
    )
    items = [i for i in hooks.my_work(contributor, org_a) if i.kind == "Process"]
    assert [(i.reference, i.title) for i in items] == [("8.6.1", "Incident management")]
    assert items[0].overdue and items[0].url.endswith(f"/processes/{incident.pk}/")
    assert [i for i in hooks.my_work(consultant, org_a) if i.kind == "Process"] == []


def test_the_maturity_heatmap_groups_processes_by_chapter(
    org_a, consultant, incident, django_assert_max_num_queries
):
    services.process_instance_update(
        instance=incident, actor=consultant, version=1, maturity=4, status="implemented"
    )
    with django_assert_max_num_queries(1):
        chapters = selectors.maturity_heatmap(org_a)
    assert [c.number for c in chapters] == ["8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7"]
    resolution = chapters[5]
    assert resolution.title == "Resolution and fulfilment"
    cell = resolution.cells[0]
    assert (cell.clause.number, cell.maturity, cell.status) == ("8.6.1", 4, "implemented")
    empty = selectors.maturity_heatmap(OrganizationFactory())
    assert all(c.maturity == 0 and c.instance is None for ch in empty for c in ch.cells)


def test_the_heatmap_panel_renders(rf, org_a, consultant, incident):
    from django.template.loader import render_to_string

    from processes.hooks import maturity_heatmap_panel

    panel = maturity_heatmap_panel(rf.get("/"), org_a)
    html = render_to_string(panel["template"], panel["context"])
    assert "8.6.1" in html and "Process maturity" in html
