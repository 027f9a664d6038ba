"""The certification project: the seed's checklist in both languages, its certification body."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from audits.models import CertificationBody
from certification import services
from certification.checklist import SEED
from certification.models import CertificationProject, ChecklistItem, ChecklistTemplateItem
from itsms.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"certification:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_checklist_is_complete_as_the_seed_states(org_a):
    services.project_ensure(organization=org_a)
    items = {i.key: i for i in ChecklistItem.objects.filter(organization=org_a)}
    assert set(items) == set(SEED)
    assert "every requirement of clauses 4–10 applies" in items["1.5"].label
    assert "training given" in items["1.8"].label
    assert "recertification lead time" in items["1.9"].label
    assert (
        items["2.4"].step.number == 2 and "Risks of the certification process" in items["2.4"].label
    )


def test_checklist_items_show_in_the_readers_language(client, org_a, members):
    services.project_ensure(organization=org_a)
    item = ChecklistItem.objects.get(organization=org_a, key="1.7")
    client.force_login(members[Role.CONSULTANT])
    zh = client.get(url("project", org_a), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "获得最高管理者的支持" in zh and "Top-management support secured" not in zh
    en = client.get(url("project", org_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Top-management support secured" in en
    services.item_update(item=item, actor=members[Role.CONSULTANT], text="Board sign-off obtained")
    zh = client.get(url("project", org_a), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Board sign-off obtained" in zh  # what a user wrote shows as written


def test_existing_projects_get_keys_translations_and_the_new_items():
    migration = importlib.import_module(
        "certification.migrations.0003_stored_cycle_queue_lease_checklist_keys"
    )
    org = OrganizationFactory()
    ChecklistTemplateItem.objects.all().delete()
    ChecklistTemplateItem.objects.create(step=1, order=5, text=migration.PREVIOUS_TEXT["1.5"])
    project = CertificationProject.objects.create(organization=org)
    step1 = project.steps.create(organization=org, number=1)
    step2 = project.steps.create(organization=org, number=2)
    old = ChecklistItem.objects.create(
        organization=org, step=step1, text="Certification body chosen", order=9
    )
    own = ChecklistItem.objects.create(organization=org, step=step2, text="Our own item", order=1)
    migration.checklist_keys(apps, None)
    old.refresh_from_db()
    own.refresh_from_db()
    assert (old.key, old.text) == ("1.9", SEED["1.9"])
    assert (own.key, own.text) == ("", "Our own item")
    assert ChecklistItem.objects.filter(step=step2, key="2.4").count() == 1
    assert set(ChecklistTemplateItem.objects.values_list("key", flat=True)) == set(SEED)


def test_the_project_page_links_to_a_new_certification_body(client, org_a, members):
    services.project_ensure(organization=org_a)
    client.force_login(members[Role.ADMIN])
    html = client.get(url("project", org_a)).content.decode()
    assert url("body_create", org_a) in html
    response = client.post(
        url("body_create", org_a),
        {
            "name": "Huaxin Certification",
            "response_window_days": "42",
            "recertification_lead_days": "60",
        },
    )
    assert response.status_code == 302
    body = CertificationBody.objects.get(organization=org_a)
    assert body.recertification_lead_days == 60
    assert CertificationProject.objects.get(organization=org_a).certification_body == body


def test_a_bad_certification_body_is_a_form_error(client, org_a, members):
    client.force_login(members[Role.ADMIN])
    CertificationBody.objects.create(organization=org_a, name="Huaxin")
    response = client.post(
        url("body_create", org_a),
        {"name": "Huaxin", "response_window_days": "0", "recertification_lead_days": "-1"},
    )
    assert response.status_code == 200
    assert {"response_window_days", "recertification_lead_days"} <= set(
        response.context["form"].errors
    )
    assert CertificationBody.objects.filter(organization=org_a).count() == 1


def test_a_consultant_copies_a_body_from_her_other_clients_only(client, org_a, org_b, members):
    li = members[Role.CONSULTANT]
    other_client = OrganizationFactory(name="Meridian Logistics")
    MembershipFactory(organization=other_client, user=li, role=Role.CONSULTANT)
    mine = CertificationBody.objects.create(
        organization=other_client, name="Huaxin Certification", recertification_lead_days=75
    )
    # another consultant's client, and org B where Li is no member: never offered
    stranger = OrganizationFactory(name="Someone else's client")
    MembershipFactory(organization=stranger, user=UserFactory(), role=Role.CONSULTANT)
    theirs = CertificationBody.objects.create(organization=stranger, name="Secret CB")
    b_body = CertificationBody.objects.create(organization=org_b, name="SECRETB CB")
    services.project_ensure(organization=org_a)

    client.force_login(li)
    html = client.get(url("project", org_a)).content.decode()
    assert "Huaxin Certification" in html and "Meridian Logistics" in html
    assert "Secret CB" not in html and "SECRETB" not in html

    for foreign in (theirs, b_body):
        client.post(url("body_copy", org_a), {"source": foreign.pk})
    assert not CertificationBody.objects.filter(organization=org_a).exists()

    client.post(url("body_copy", org_a), {"source": mine.pk})
    copy = CertificationBody.objects.get(organization=org_a)
    assert (copy.name, copy.recertification_lead_days) == ("Huaxin Certification", 75)
    assert CertificationProject.objects.get(organization=org_a).certification_body == copy
    assert "Copy to this organisation" not in client.get(url("project", org_a)).content.decode()


def test_viewers_cannot_add_or_copy_bodies(client, org_a, members):
    client.force_login(members[Role.VIEWER])
    assert client.get(url("body_create", org_a)).status_code == 403
    assert client.post(url("body_copy", org_a), {"source": 1}).status_code == 403
