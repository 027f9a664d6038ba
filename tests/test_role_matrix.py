"""What each of the five roles may do, asserted against the pages and the API.

The expected table is written out here on purpose: changing what a role may do
means changing this table in the same commit.
"""

import pytest
from django.urls import reverse

from itsms.models import Membership, Role
from itsms.shared import permissions
from itsms.shared.permissions import Capability

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

C, A, T, U, V = Role.CONSULTANT, Role.ADMIN, Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER

EXPECTED = {
    Capability.VIEW: {C, A, T, U, V},
    Capability.VIEW_MEMBERS: {C, A, T, U, V},
    Capability.CHANGE_ORGANIZATION: {C, A},
    Capability.MANAGE_MEMBERS: {C, A},
    Capability.ASSESS: {C, A, T},
    Capability.UPLOAD_EVIDENCE: {C, A, T},
    Capability.RECORD_FINDINGS: {U},
    Capability.MANAGE_CERTIFICATION: {C, A},
}


def test_the_capability_table_is_as_documented():
    assert set(EXPECTED) == set(Capability)
    for capability, roles in EXPECTED.items():
        for role in Role.values:
            assert permissions.role_allows(role, capability) == (role in roles), (role, capability)


def test_viewer_changes_nothing():
    allowed = {c for c in Capability if permissions.role_allows(V, c)}
    assert allowed == {Capability.VIEW, Capability.VIEW_MEMBERS}


# (url name, method, data, roles allowed); others get 403.
PAGE_CASES = [
    ("itsms:organization_detail", "get", None, {C, A, T, U, V}),
    ("itsms:member_list", "get", None, {C, A, T, U, V}),
    ("itsms:organization_edit", "get", None, {C, A}),
    (
        "itsms:organization_edit",
        "post",
        {"name": "Renamed", "time_zone": "Asia/Shanghai", "language": "en", "scope": "x"},
        {C, A},
    ),
    ("itsms:member_list", "post", {"email": "new@example.com", "role": V}, {C, A}),
    ("itsms:sso_settings", "get", None, {C, A}),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name,method,data,allowed", PAGE_CASES)
def test_pages_answer_by_role(client, org_a, members, role, name, method, data, allowed):
    client.force_login(members[role])
    url = reverse(name, kwargs={"org_slug": org_a.slug})
    response = getattr(client, method)(url, data or {})
    if role in allowed:
        assert response.status_code in (200, 302), (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)


@pytest.mark.parametrize("role", Role.values)
def test_member_actions_by_role(client, org_a, members, role):
    target = MembershipFactory(organization=org_a, user=UserFactory(), role=V)
    client.force_login(members[role])
    url = reverse("itsms:membership_role", kwargs={"org_slug": org_a.slug, "pk": target.pk})
    response = client.post(url, {"role": T})
    target.refresh_from_db()
    if role in (C, A):
        assert response.status_code == 302 and target.role == T
    else:
        assert response.status_code == 403 and target.role == V


@pytest.mark.parametrize("role", Role.values)
def test_api_by_role(api_client, org_a, members, role):
    api_client.force_authenticate(members[role])
    manage = role in (C, A)
    members_list = api_client.get(
        reverse("itsms-api:membership-list"), {"organization": org_a.slug}
    )
    assert members_list.status_code == 200
    invitations = api_client.get(reverse("itsms-api:invitation-list"), {"organization": org_a.slug})
    assert invitations.status_code == (200 if manage else 403)
    viewer = Membership.objects.get(organization=org_a, role=V)
    patch = api_client.patch(
        reverse("itsms-api:membership-detail", args=[viewer.pk]), {"role": T}, format="json"
    )
    assert patch.status_code == (200 if manage else 403)
    org = api_client.patch(
        reverse("itsms-api:organization-detail", args=[org_a.slug]),
        {"scope": "Changed"},
        format="json",
    )
    assert org.status_code == (200 if manage else 403)


def test_anonymous_is_sent_to_sign_in_and_denied_by_the_api(client, api_client, org_a):
    response = client.get(reverse("itsms:organization_detail", kwargs={"org_slug": org_a.slug}))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert api_client.get(reverse("itsms-api:organization-list")).status_code in (401, 403)
    assert api_client.get(reverse("itsms-api:clause-list")).status_code in (401, 403)
