"""Search from the user's side: what is found, in which group, in what order, highlighted,
and what each result opens."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from itsms.assessment import services as assessment
from itsms.evidence import services as evidence_services
from itsms.models import Clause, ClauseAssessment, Role, SearchDocument
from itsms.search import selectors
from processes.services import process_instances_ensure
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def upload(org, actor, title, description="", name="procedure.txt", content=b"text", **extra):
    return evidence_services.evidence_create(
        organization=org,
        actor=actor,
        upload=SimpleUploadedFile(name, content),
        title=title,
        description=description,
        **extra,
    )


def found(user, query, org=None, **kwargs):
    """``{kind: [title as shown to an English reader, …]}`` of what ``user`` finds."""
    with translation.override("en"):
        results = selectors.search(user, query, organizations=[org.pk] if org else None, **kwargs)
        out = {}
        for organization in results.organizations:
            for group in organization.groups:
                out.setdefault(group.kind.key, []).extend(
                    r.kind.title_of(r.hit) for r in group.results
                )
    return out


def test_a_clause_is_found_by_number_and_by_its_heading_in_either_language(org_a, consultant):
    assert "8.6.1 Incident management" in found(consultant, "8.6.1", org_a)["clause"]
    assert found(consultant, "incident management", org_a)["clause"][0] == (
        "8.6.1 Incident management"
    )
    assert found(consultant, "事件管理", org_a)["clause"][0] == "8.6.1 Incident management"
    assert "8.6.1 Incident management" in found(consultant, "事件", org_a)["clause"]


def test_a_chinese_reader_sees_the_chinese_heading(client, org_a, consultant):
    client.force_login(consultant)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    page = client.get(url, {"q": "事件管理"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "8.6.1 <mark>事件管理</mark>" in page


def test_assessment_notes_find_their_clause(org_a, consultant):
    assessment.gap_assessment_start(organization=org_a, actor=consultant)
    row = ClauseAssessment.objects.get(organization=org_a, clause=clause("8.2.5"))
    assessment.assessment_update(
        assessment=row, actor=consultant, notes="CMDB 配置项 still kept in spreadsheets"
    )
    assert found(consultant, "spreadsheets", org_a)["clause"] == ["8.2.5 Asset management"]
    assert "8.2.5 Asset management" in found(consultant, "配置项", org_a)["clause"]


def test_evidence_is_found_by_title_description_and_linked_clause(org_a, consultant):
    upload(
        org_a,
        consultant,
        "事件管理程序",
        "How the service desk records and resolves incidents",
        clauses=[clause("8.6.1")],
    )
    upload(org_a, consultant, "Change advisory board minutes", clauses=[clause("8.5.1.3")])
    assert found(consultant, "事件管理", org_a)["evidence"] == ["事件管理程序"]
    assert found(consultant, "service desk", org_a)["evidence"] == ["事件管理程序"]
    # an English title linked to 8.5.1.3 is found by the clause's Chinese heading
    assert "Change advisory board minutes" in found(consultant, "变更管理", org_a)["evidence"]


def test_processes_services_audits_findings_and_actions_are_found(org_a, consultant, audit):
    from audits import services as audits
    from audits.models import CorrectiveAction
    from processes import services as processes
    from processes.models import ProcessInstance

    process_instances_ensure(org_a)
    incident = ProcessInstance.objects.get(organization=org_a, clause=clause("8.6.1"))
    processes.process_instance_update(
        instance=incident, actor=consultant, version=incident.version, purpose="Restore quickly"
    )
    processes.service_create(
        organization=org_a, actor=consultant, name="Online banking", description="Retail web"
    )
    finding = audits.finding_record(
        audit=audit,
        actor=consultant,
        grade="minor",
        clause=clause("8.6.1"),
        statement="Two P1 incidents in March closed without customer confirmation",
    )
    finding.refresh_from_db()
    assert found(consultant, "事件管理", org_a)["process"] == ["8.6.1 Incident management"]
    assert found(consultant, "restore", org_a)["process"] == ["8.6.1 Incident management"]
    assert found(consultant, "online banking", org_a)["service"] == ["Online banking"]
    assert found(consultant, "stage 2", org_a)["audit"] == ["Stage 2 audit"]
    # the finding is found by its text, its grade in Chinese and its clause's heading
    statement = "Two P1 incidents in March closed without customer confirmation"
    assert found(consultant, "customer confirmation", org_a)["finding"] == [statement]
    assert found(consultant, "事件管理", org_a)["finding"] == [statement]
    assert statement in found(consultant, finding.reference, org_a)["finding"]
    action = CorrectiveAction.objects.create(organization=org_a, finding=finding)
    audits.action_update(action=action, actor=consultant, root_cause="No confirmation step")
    assert found(consultant, "confirmation step", org_a)["corrective_action"] == [statement]


def test_results_open_their_object(client, org_a, consultant):
    item = upload(org_a, consultant, "Incident procedure")
    client.force_login(consultant)
    response = client.get(
        reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug}), {"q": "incident"}
    )
    groups = {g.kind.key: g for g in response.context["results"].organizations[0].groups}
    assert groups["evidence"].results[0].url == reverse(
        "itsms:evidence_detail", kwargs={"org_slug": org_a.slug, "pk": item.pk}
    )
    assert groups["clause"].results[0].url.endswith("/assessment/#clause-8.6.1")
    assert client.get(groups["evidence"].results[0].url).status_code == 200


def test_a_title_match_ranks_above_a_body_match(org_a, consultant):
    upload(org_a, consultant, "Quarterly report", "mentions escalation once, in passing")
    upload(org_a, consultant, "Escalation matrix", "who is called when")
    assert found(consultant, "escalation", org_a)["evidence"] == [
        "Escalation matrix",
        "Quarterly report",
    ]


def test_every_word_of_the_query_must_match(org_a, consultant):
    upload(org_a, consultant, "Incident procedure")
    upload(org_a, consultant, "Problem procedure")
    assert found(consultant, "incident procedure", org_a)["evidence"] == ["Incident procedure"]


def test_the_page_highlights_safely(client, org_a, consultant):
    upload(org_a, consultant, "<img src=x onerror=alert(1)> Incident list")
    client.force_login(consultant)
    page = client.get(
        reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug}), {"q": "incident"}
    ).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>Incident</mark> list" in page


def test_deleted_evidence_is_not_found_and_restored_evidence_is_again(org_a, consultant):
    item = upload(org_a, consultant, "Obsolete runbook")
    evidence_services.evidence_delete(evidence=item, actor=consultant, reason="superseded")
    assert "evidence" not in found(consultant, "runbook", org_a)
    evidence_services.evidence_restore(evidence=item, actor=consultant)
    assert found(consultant, "runbook", org_a)["evidence"] == ["Obsolete runbook"]


def test_an_edit_is_found_at_once_and_the_old_words_no_longer(org_a, consultant):
    item = upload(org_a, consultant, "Draft policy")
    evidence_services.evidence_update(evidence=item, actor=consultant, title="Approved charter")
    assert "evidence" not in found(consultant, "draft", org_a)
    assert found(consultant, "charter", org_a)["evidence"] == ["Approved charter"]


def test_a_consultant_searches_all_her_clients_grouped_by_organisation(client, consultant):
    clients = [OrganizationFactory(name=f"Client {n}") for n in range(3)]
    for org in clients:
        MembershipFactory(organization=org, user=consultant, role=Role.CONSULTANT)
        upload(org, consultant, f"Supplier contract of {org.name}")
    client.force_login(consultant)
    response = client.get(reverse("itsms:search"), {"q": "supplier contract"})
    results = response.context["results"]
    shown = {
        o.name: [r.kind.title_of(r.hit) for g in o.groups for r in g.results]
        for o in results.organizations
        if any(g.kind.key == "evidence" for g in o.groups)
    }
    assert {
        name: [t for t in titles if t.startswith("Supplier")] for name, titles in shown.items()
    } == {o.name: [f"Supplier contract of {o.name}"] for o in clients}
    assert response.content.decode().count('data-testid="search-org"') >= 3


def test_a_kind_pages_through_its_results(client, org_a, consultant):
    for n in range(selectors.PER_PAGE + 3):
        upload(org_a, consultant, f"Shift report {n}")
    client.force_login(consultant)
    url = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    first = client.get(url, {"q": "shift report"})
    group = next(g for g in first.context["results"].organizations[0].groups)
    assert group.total == selectors.PER_PAGE + 3 and len(group.results) == selectors.PER_KIND
    assert 'data-testid="search-more"' in first.content.decode()
    page1 = client.get(url, {"q": "shift report", "kind": "evidence"})
    page2 = client.get(url, {"q": "shift report", "kind": "evidence", "page": 2})
    titles = [
        {r.hit.title for g in p.context["results"].organizations[0].groups for r in g.results}
        for p in (page1, page2)
    ]
    assert len(titles[0]) == selectors.PER_PAGE and len(titles[1]) == 3
    assert not titles[0] & titles[1]


def test_bad_input_is_a_form_error_not_a_500(client, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    for params in ({"q": "x", "page": "abc"}, {"q": "x", "kind": "nope"}, {"q": "x" * 500}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert client.get(url, {"q": "'\" OR 1=1 -- ) AND ("}).status_code == 200
    assert client.get(url, {"q": '"*^:&|!'}).status_code == 200


def test_the_top_bar_searches_the_current_organisation(client, org_a, consultant):
    client.force_login(consultant)
    page = client.get(reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug}))
    action = reverse("itsms:search_organization", kwargs={"org_slug": org_a.slug})
    assert f'action="{action}"' in page.content.decode()


def test_rebuild_restores_a_lost_index_and_changes_nothing_else(org_a, consultant):
    upload(org_a, consultant, "Capacity plan", clauses=[clause("8.4.3")])
    before = sorted(
        SearchDocument.objects.values_list("organization", "kind", "object_id", "title_tokens")
    )
    SearchDocument.objects.all().delete()
    assert found(consultant, "capacity", org_a) == {}
    call_command("rebuild_search_index", verbosity=0)
    after = sorted(
        SearchDocument.objects.values_list("organization", "kind", "object_id", "title_tokens")
    )
    assert after == before
    assert found(consultant, "capacity", org_a)["evidence"] == ["Capacity plan"]


def test_a_new_organisation_has_every_clause_indexed(db):
    org = OrganizationFactory()
    assert SearchDocument.objects.filter(organization=org, kind="clause").count() == (
        Clause.objects.filter(standard__code="iso20000-1-2018").count()
    )
