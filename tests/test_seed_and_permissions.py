"""Demo seed is idempotent; django-guardian is wired behind itsms.shared.permissions."""

import pytest
from django.core.management import call_command

from itsms.models import Membership, Organization, Role, User
from itsms.shared import permissions

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("seed_demo", quiet=True)
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    )
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)  # one demo user per role


def test_object_permissions_are_granted_and_revoked(org_a, org_b):
    auditor = UserFactory()
    assert not permissions.can_on(auditor, "itsms.view_organization", org_a)
    permissions.grant(auditor, "itsms.view_organization", org_a)
    assert permissions.can_on(auditor, "itsms.view_organization", org_a)
    assert not permissions.can_on(auditor, "itsms.view_organization", org_b)
    visible = permissions.objects_with(auditor, "itsms.view_organization", Organization.objects)
    assert list(visible) == [org_a]
    permissions.revoke(auditor, "itsms.view_organization", org_a)
    assert not permissions.can_on(auditor, "itsms.view_organization", org_a)


def test_an_object_permission_does_not_make_a_membership(org_a):
    """Object permissions widen nothing at org level: pages still need a membership."""
    user = UserFactory()
    permissions.grant(user, "itsms.change_organization", org_a)
    assert not permissions.is_member(user, org_a)
    assert not permissions.can(user, permissions.Capability.VIEW, org_a)
    assert org_a not in permissions.organizations_for(user)


def test_an_audit_reader_reads_as_an_auditor_and_nothing_more(org_a, org_b):
    """The audits app grants this while an outside auditor's assignment lasts."""
    user = UserFactory()
    permissions.grant_audit_reader(user, org_a)
    assert not permissions.is_member(user, org_a)
    assert permissions.can(user, permissions.Capability.VIEW, org_a)
    assert not permissions.can(user, permissions.Capability.CHANGE_ORGANIZATION, org_a)
    assert not permissions.can(user, permissions.Capability.ASSESS, org_a)
    assert list(permissions.organizations_for(user)) == [org_a]
    permissions.revoke_audit_reader(user, org_a)
    assert not permissions.can(user, permissions.Capability.VIEW, org_a)


def test_roles_grantable(org_a, members):
    assert permissions.roles_grantable_by(members[Role.ADMIN], org_a) == Role.values
    assert permissions.roles_grantable_by(members[Role.VIEWER], org_a) == []
