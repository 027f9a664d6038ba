"""Creating, editing and switching organisations; the consultant's portfolio."""

import pytest
from django.urls import reverse

from itsms.models import Membership, Organization, Role

from .factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Eastern Harbour Bank",
    "slug": "eastern-harbour-bank",
    "time_zone": "Asia/Shanghai",
    "language": "zh-hans",
    "scope": "IT services supporting retail banking, Shanghai data centre",
    "creator_role": Role.CONSULTANT,
}


def test_a_consultant_creates_a_client_and_becomes_its_consultant(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("itsms:organization_create"), NEW)
    assert response.status_code == 302
    org = Organization.objects.get(slug="eastern-harbour-bank")
    assert (org.time_zone, org.language) == ("Asia/Shanghai", "zh-hans")
    assert Membership.objects.get(organization=org, user=consultant).role == Role.CONSULTANT
    page = client.get(response["Location"])
    assert "Shanghai data centre" in page.content.decode()
    assert org.history.first().history_user == consultant


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"slug": "alpha-bank"}, "slug", "already exists"),
        ({"slug": "ALPHA-BANK"}, "slug", "already exists"),
        ({"slug": "has space"}, "slug", "letters"),
        ({"slug": "new"}, "slug", "reserved"),
        ({"slug": "-x-"}, "slug", "start and end"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"language": "klingon"}, "language", "Select a valid choice"),
        ({"name": ""}, "name", "required"),
        ({"creator_role": Role.VIEWER}, "creator_role", "Select a valid choice"),
    ],
)
def test_bad_organisation_input_shows_field_errors_and_saves_nothing(
    client, consultant, org_a, change, field, message
):
    client.force_login(consultant)
    before = Organization.objects.count()
    response = client.post(reverse("itsms:organization_create"), {**NEW, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Organization.objects.count() == before


def test_the_slug_cannot_change_but_the_scope_can(client, consultant, org_a):
    client.force_login(consultant)
    url = reverse("itsms:organization_edit", kwargs={"org_slug": org_a.slug})
    response = client.post(
        url,
        {
            "name": "Alpha Bank Ltd",
            "slug": "hijack",
            "time_zone": "Europe/Berlin",
            "language": "en",
            "scope": "New scope",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.slug, org_a.name, org_a.scope) == ("alpha-bank", "Alpha Bank Ltd", "New scope")


def test_the_portfolio_lists_every_client_with_the_role(client, consultant, org_a):
    other = OrganizationFactory(name="Meridian Logistics")
    MembershipFactory(organization=other, user=consultant, role=Role.ADMIN)
    OrganizationFactory(name="Not Mine Ltd")
    client.force_login(consultant)
    body = client.get(reverse("itsms:portfolio")).content.decode()
    assert "Alpha Bank" in body and "Meridian Logistics" in body
    assert "Not Mine Ltd" not in body
    assert "Admin" in body and "Consultant" in body


def test_the_portfolio_of_a_new_user_explains_what_to_do(client, outsider):
    client.force_login(outsider)
    body = client.get(reverse("itsms:portfolio")).content.decode()
    assert "not a member of any organisation yet" in body


def test_the_switcher_goes_to_one_of_my_organisations_only(client, consultant, org_a, org_b):
    client.force_login(consultant)
    response = client.post(reverse("itsms:organization_switch"), {"org": org_a.slug})
    assert response["Location"] == reverse(
        "itsms:organization_detail", kwargs={"org_slug": org_a.slug}
    )
    refused = client.post(reverse("itsms:organization_switch"), {"org": org_b.slug}, follow=True)
    assert "not a member of that organisation" in refused.content.decode()
    assert refused.redirect_chain[-1][0] == reverse("itsms:portfolio")


def test_navigation_shows_the_current_organisation_and_role(client, members, org_a):
    client.force_login(members[Role.AUDITOR])
    body = client.get(reverse("itsms:organization_detail", kwargs={"org_slug": org_a.slug}))
    html = body.content.decode()
    assert 'data-testid="current-org"' in html and "Auditor" in html


def test_a_non_member_gets_404_not_403(client, outsider, org_a):
    client.force_login(outsider)
    for name in ("organization_detail", "member_list", "organization_edit"):
        response = client.get(reverse(f"itsms:{name}", kwargs={"org_slug": org_a.slug}))
        assert response.status_code == 404
        assert "no access" in response.content.decode()


def test_the_last_manager_cannot_leave_or_be_demoted(client, org_a, consultant, members):
    admin_membership = Membership.objects.get(organization=org_a, role=Role.ADMIN)
    admin_membership.role = Role.VIEWER
    admin_membership.save()
    mine = Membership.objects.get(organization=org_a, user=consultant)
    client.force_login(consultant)
    response = client.post(
        reverse("itsms:membership_role", kwargs={"org_slug": org_a.slug, "pk": mine.pk}),
        {"role": Role.VIEWER},
        follow=True,
    )
    assert "at least one consultant or admin" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.CONSULTANT
    client.post(reverse("itsms:membership_remove", kwargs={"org_slug": org_a.slug, "pk": mine.pk}))
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_removing_a_member_is_recorded_with_who_did_it(client, org_a, consultant, members):
    viewer = Membership.objects.get(organization=org_a, role=Role.VIEWER)
    client.force_login(consultant)
    client.post(
        reverse("itsms:membership_remove", kwargs={"org_slug": org_a.slug, "pk": viewer.pk})
    )
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    record = Membership.history.filter(id=viewer.pk).latest("history_date")
    assert record.history_type == "-" and record.history_user == consultant


def test_the_clause_tree_and_a_clause_page(client, consultant):
    client.force_login(consultant)
    tree = client.get(reverse("itsms:clause_tree", args=["iso20000-1-2018"]))
    html = tree.content.decode()
    assert tree.status_code == 200
    assert html.count('data-number="') == 77
    assert "Incident management" in html
    page = client.get(reverse("itsms:clause_detail", args=["iso20000-1-2018", "8.2.5"]))
    html = page.content.decode()
    assert "New in the 2018 edition" in html
    assert "Specific to ISO/IEC 20000-1" in html  # 8.2 has no 27001/9001 counterpart
    page = client.get(reverse("itsms:clause_detail", args=["iso20000-1-2018", "7.5"]))
    html = page.content.decode()
    assert "ISO/IEC 27001:2013" in html and "ISO 9001:2015" in html and "4.3" in html
    back = client.get(reverse("itsms:clause_detail", args=["iso20000-1-2011", "8.1"]))
    assert "8.6.1" in back.content.decode()  # the other way: 2011 → 2018
    deep = client.get(reverse("itsms:clause_detail", args=["iso20000-1-2018", "7.5.4"]))
    assert deep.status_code == 200
    missing = client.get(reverse("itsms:clause_detail", args=["iso20000-1-2018", "99.9"]))
    assert missing.status_code == 404


def test_password_pages_render(client, consultant):
    assert "Reset your password" in client.get(reverse("password_reset")).content.decode()
    client.force_login(consultant)
    assert "Change password" in client.get(reverse("password_change")).content.decode()
