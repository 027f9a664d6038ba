"""What each role may do in the SMS records, generated for every register of ``REGISTERS``
(pages and API) from the rules written out once below: a register added to the list is
covered the day it is added.

Every member reads; consultants and admins create and change everything; a contributor changes
the records they own; auditors and viewers change nothing (``sms.permissions``).
"""

import pytest
from django.urls import reverse

from itsms.models import Role
from sms import permissions, services
from sms.registers import REGISTERS

from .factories import agreement, improvement, objective, risk, supplier

pytestmark = pytest.mark.django_db

C, A, T, U, V = Role.CONSULTANT, Role.ADMIN, Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER
EVERYONE = {C, A, T, U, V}
MANAGERS = {C, A}

#: (action, roles allowed); the others get 403.
RULES = {
    "read": EVERYONE,
    "create": MANAGERS,
    "edit someone else's": MANAGERS,
    "edit one's own": MANAGERS | {T},
}

MAKE = {
    "risk": lambda org, actor, **kw: risk(org, actor, **kw),
    "objective": lambda org, actor, **kw: objective(org, actor, **kw),
    "supplier": lambda org, actor, **kw: supplier(org, actor, **kw),
    "agreement": lambda org, actor, **kw: agreement(org, actor, **kw),
    "improvement": lambda org, actor, **kw: improvement(org, actor, **kw),
}

#: A valid new row of each register, as a page form and as an API payload.
NEW = {
    "risk": {
        "kind": "risk",
        "category": "sms",
        "title": "New",
        "likelihood": 2,
        "impact": 2,
        "status": "identified",
    },
    "objective": {"title": "New", "target": "90", "direction": "higher", "status": "planned"},
    "supplier": {"title": "New", "kind": "external_supplier", "status": "active"},
    "agreement": {"title": "New", "kind": "sla", "customer": "Retail", "status": "active"},
    "improvement": {"title": "New", "source": "staff", "status": "proposed"},
}


def test_every_register_is_in_the_matrix():
    assert {r.name for r in REGISTERS} == set(MAKE) == set(NEW)


def test_the_rules_are_those_of_the_permissions_module(org_a, members):
    for role, user in members.items():
        assert permissions.may_manage(user, org_a) == (role in RULES["create"]), role


CASES = [(r.name, role) for r in REGISTERS for role in Role.values]


def url(name, org, **kwargs):
    return reverse(f"sms:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.mark.parametrize("register,role", CASES)
def test_pages_answer_by_role(client, org_a, members, register, role):
    admin, zhao = members[A], members[T]
    someone_elses = MAKE[register](org_a, admin, owner=admin)
    own = MAKE[register](org_a, admin, owner=zhao)
    client.force_login(members[role])

    def status(method, name, data=None, **kwargs):
        return getattr(client, method)(url(f"{register}_{name}", org_a, **kwargs), data or {})

    read = 200 if role in RULES["read"] else 403
    assert status("get", "list").status_code == read
    assert status("get", "csv").status_code == read
    assert status("get", "detail", pk=someone_elses.pk).status_code == read
    create = role in RULES["create"]
    assert status("get", "create").status_code == (200 if create else 403)
    assert status("post", "create", NEW[register]).status_code == (302 if create else 403)
    for row, rule in ((someone_elses, "edit someone else's"), (own, "edit one's own")):
        allowed = role in RULES[rule]
        assert status("get", "edit", pk=row.pk).status_code == (200 if allowed else 403), rule
        data = {**NEW[register], "version": row.version}
        if register == "agreement":
            data.update(kind="contract", supplier=row.supplier_id, customer="")
        answer = status("post", "edit", data, pk=row.pk)
        assert answer.status_code == (302 if allowed else 403), (rule, answer.status_code)


@pytest.mark.parametrize("register,role", CASES)
def test_the_api_answers_by_role(api_client, org_a, members, register, role):
    admin, zhao = members[A], members[T]
    someone_elses = MAKE[register](org_a, admin, owner=admin)
    own = MAKE[register](org_a, admin, owner=zhao)
    api_client.force_authenticate(members[role])
    listing = api_client.get(reverse(f"sms-api:{register}-list"), {"organization": org_a.slug})
    assert listing.status_code == (200 if role in RULES["read"] else 403)
    payload = {**NEW[register], "organization": org_a.slug}
    if register == "supplier":  # the API calls a supplier's title its name
        payload["name"] = payload.pop("title")
    created = api_client.post(reverse(f"sms-api:{register}-list"), payload, format="json")
    assert created.status_code == (201 if role in RULES["create"] else 403), created.json()
    for row, rule in ((someone_elses, "edit someone else's"), (own, "edit one's own")):
        answer = api_client.patch(
            reverse(f"sms-api:{register}-detail", args=[row.pk]),
            {"description": "changed", "version": row.version},
            format="json",
        )
        assert answer.status_code == (200 if role in RULES[rule] else 403), (rule, answer.json())


OTHER_PAGES = [
    # (url name, needs a pk of, roles allowed to GET)
    ("overview", None, RULES["read"]),
    ("risk_heatmap", None, RULES["read"]),
    ("checklist", None, RULES["read"]),
    ("checklist_csv", None, RULES["read"]),
    ("settings", None, MANAGERS),
    ("checklist_item_edit", "document", MANAGERS),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name,needs,allowed", OTHER_PAGES)
def test_the_other_pages_answer_by_role(client, org_a, members, role, name, needs, allowed):
    kwargs = {}
    if needs == "document":
        services.checklist_ensure(org_a)
        kwargs["pk"] = org_a.documentchecklistitem_set.order_by("pk").first().pk
    client.force_login(members[role])
    response = client.get(url(name, org_a, **kwargs))
    assert response.status_code == (200 if role in allowed else 403)
