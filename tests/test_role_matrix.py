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


# --- the matrix, generated from what each view and viewset declares ------------------------------
#
# For every tenant route and method, and for the five roles plus an outside auditor before,
# during and after an assignment to one of A's audits, the answer follows from the view's
# declaration alone: its capability for the method (``capability`` / ``write_capability``,
# ``read_capability`` / ``write_capability`` / ``action_capabilities``), then the policy
# action on its object (``object_action`` / ``write_action``, ``policy_action()``) applied to
# the planted row: not an organisation of the user → 404; the role lacks the capability → 403;
# the row is not one the user may see → 404; not one they may do the action to → 403; else the
# request is served (whatever it then says of the payload). Each request is rolled back.

OUTSIDE = ("outside-before", "outside-during", "outside-after")


def _role(user, org):
    membership = permissions.membership_of(user, org)
    return permissions.role_of(membership)


class _Request:
    def __init__(self, method):
        self.method = method


def declared(route, method):
    """(capability, policy action) the route's view declares for ``method``."""
    cls = route.view_class
    if route.is_drf:
        view = cls()
        view.action = route.callback.actions.get(method.lower())
        view.request = _Request(method)
        view.kwargs = {}
        return view.capability_for(view.request), view.policy_action()
    view = cls()
    if not hasattr(view, "required_capability"):
        # Not an organisation's page: the user's own rows across their organisations (the
        # bell's inbox); no role is needed, the policy's rule on the row still applies.
        return None, "view"
    return view.required_capability(_Request(method)), view.action_for(_Request(method))


def expected(route, method, user, org, obj):
    from itsms.models import Organization

    role = _role(user, org)
    if route.model is not Organization:
        capability, action = declared(route, method)
        if capability is None:  # the user's own rows: only the row's rule counts
            denied = obj is not None and not permissions.allows(user, "view", obj)
            return "404" if denied else "served"
    if role is None:
        return "404"
    if route.model is Organization:  # the organisation itself (not on the scoped base)
        allowed = method == "GET" or permissions.role_allows(role, Capability.CHANGE_ORGANIZATION)
        return "served" if allowed else "403"
    if not permissions.role_allows(role, capability):
        return "403"
    if obj is not None:
        if not permissions.allows(user, "view", obj):
            return "404"
        if action != "view" and not permissions.allows(user, action, obj):
            return "403"
    return "served"


def _answer(route, response):
    """404 / 403 / served. A create naming an organisation (or parent row) the user cannot see
    is refused as "does not exist" (400 on that field): the same as 404, nothing leaks."""
    status = response.status_code
    if status == 400 and route.is_drf and route.drf_action == "list":
        field = getattr(route.view_class, "create_organization_field", "organization")
        if field in response.json():
            return "404"
    return "404" if status == 404 else "403" if status == 403 else "served"


def _payload(route, org, world):
    """A create names its organisation (or parent row), so the role is checked there."""
    if not (route.is_drf and route.drf_action == "list"):
        return {"organization": org.slug}
    field = getattr(route.view_class, "create_organization_field", "organization")
    if field == "organization":
        return {"organization": org.slug}
    parent = route.view_class.queryset.model._meta.get_field(field).related_model
    return {field: world[parent].pk}


def _call(client, method, url, data):
    from django.db import transaction

    with transaction.atomic():  # every request is undone: each user meets the same world
        if method == "GET":
            response = client.get(url)
        elif method == "DELETE":
            response = client.delete(url)
        elif method in ("PATCH", "PUT"):
            response = getattr(client, method.lower())(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def test_every_route_answers_each_role_as_its_view_declares(client, org_a, members, audit):
    from audits import services as audit_services
    from audits.models import AuditAssignment

    from .harness.world import plant
    from .test_isolation_sweep import is_tenant_route, kwargs_for, sweep_routes

    world = plant(org_a, marker="alphaown")
    from audits.models import Audit

    world[Audit] = audit  # the outside auditor's audit: every audit row below belongs to it
    users = {role: members[role] for role in Role.values}
    outsider = UserFactory(email="outside@certbody.example")
    mismatches, checked = [], 0
    for who in (*Role.values, *OUTSIDE):
        user = users.get(who, outsider)
        if who == "outside-during":
            assignment = audit_services.assignment_add(
                audit=audit, actor=members[A], user=outsider, role=AuditAssignment.Role.LEAD
            )
        if who == "outside-after":
            audit_services.assignment_end(assignment=assignment, actor=members[A])
        user.__dict__.pop("_membership_cache", None)
        client.force_login(user)
        for route in sweep_routes():
            if (
                not is_tenant_route(route)
                or route.is_drf
                and route.drf_action == "list"
                and (route.model is Organization_())
            ):
                continue
            kwargs = kwargs_for(route, org_a, world)
            url = reverse(route.name, kwargs=kwargs)
            obj = world.get(route.model) if "pk" in route.kwargs else None
            if route.is_drf and route.drf_action == "list":
                url += f"?organization={org_a.slug}"
            for method in route.methods:
                want = expected(route, method, user, org_a, obj)
                data = _payload(route, org_a, world) if method != "GET" else None
                got = _answer(route, _call(client, method, url, data))
                checked += 1
                if want != got:
                    mismatches.append(f"{who} {method} {route.name}: declared {want}, got {got}")
    assert checked > 500, checked
    assert not mismatches, f"{len(mismatches)} answers differ:\n" + "\n".join(mismatches)


def Organization_():  # noqa: N802 - the model, imported late
    from itsms.models import Organization

    return Organization
