"""The one place that answers "may this user do X here?".

Org-level rights follow from the membership's role (``ROLE_CAPABILITIES``).
Object-level rights (this auditor on this audit, this contributor on this
clause) are django-guardian permissions, granted with ``grant`` when an
assignment is made and withdrawn with ``revoke`` when it ends. Views, the API
and templates ask ``can``/``can_on``; nothing else reads roles directly.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm
from guardian.utils import clean_orphan_obj_perms  # noqa: F401  (re-exported for maintenance)

from itsms.models import Membership, Organization, Role


class Capability(models.TextChoices):
    """Org-level actions. Each view names the one it needs."""

    VIEW = "view", _("View the organisation's SMS")
    CHANGE_ORGANIZATION = "change_organization", _("Edit the organisation's details and scope")
    MANAGE_MEMBERS = "manage_members", _("Invite members and change roles")
    VIEW_MEMBERS = "view_members", _("See who is a member")
    ASSESS = "assess", _("Edit the gap assessment")
    UPLOAD_EVIDENCE = "upload_evidence", _("Upload evidence")
    RECORD_FINDINGS = "record_findings", _("Record audit findings")
    MANAGE_CERTIFICATION = "manage_certification", _("Run the certification project")


_ALL = set(Capability)
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CONSULTANT: frozenset(_ALL - {Capability.RECORD_FINDINGS}),
    Role.ADMIN: frozenset(_ALL - {Capability.RECORD_FINDINGS}),
    Role.CONTRIBUTOR: frozenset(
        {Capability.VIEW, Capability.VIEW_MEMBERS, Capability.ASSESS, Capability.UPLOAD_EVIDENCE}
    ),
    Role.AUDITOR: frozenset({Capability.VIEW, Capability.VIEW_MEMBERS, Capability.RECORD_FINDINGS}),
    Role.VIEWER: frozenset({Capability.VIEW, Capability.VIEW_MEMBERS}),
}

# Roles that may hand out each role: nobody grants more than they hold.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.CONSULTANT: frozenset(Role.values),
    Role.ADMIN: frozenset(Role.values),
}


AUDIT_READER_PERM = "itsms.view_organization"


def membership_of(user, organization: Organization) -> Membership | None:
    """The user's membership in the organisation, or None (cached on the user for the request).

    An auditor assigned to one of the organisation's audits without being a member holds the
    object permission ``AUDIT_READER_PERM`` on the organisation while the assignment lasts;
    they get an unsaved membership with the auditor role: read-only, findings only where
    assigned.
    """
    if not user or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if organization.pk not in cache:
        membership = Membership.objects.filter(user=user, organization=organization).first()
        if membership is None and can_on(user, AUDIT_READER_PERM, organization):
            membership = Membership(organization=organization, user=user, role=Role.AUDITOR)
        cache[organization.pk] = membership
    return cache[organization.pk]


def organization_and_membership(user, slug: str):
    """The user's organisation with this slug and their membership in it, in one query for a
    member (two for an assigned outside auditor), or ``(None, None)``; primes
    ``membership_of``'s cache so the rest of the request asks no more."""
    if not user or not user.is_authenticated or not slug:
        return None, None
    membership = (
        Membership.objects.filter(user=user, organization__slug=slug)
        .select_related("organization")
        .first()
    )
    if membership is not None:
        organization = membership.organization
        user.__dict__.setdefault("_membership_cache", {})[organization.pk] = membership
        return organization, membership
    organization = organizations_for(user).filter(slug=slug).first()
    if organization is None:
        return None, None
    return organization, membership_of(user, organization)


def role_allows(role: str | None, capability: str) -> bool:
    return bool(role) and capability in ROLE_CAPABILITIES.get(role, frozenset())


def can(user, capability: str, organization: Organization) -> bool:
    """May ``user`` do ``capability`` in ``organization`` by virtue of their role?

    The API's capability check: it raises ``SecondFactorRequired`` when the organisation
    requires a second factor the user has not set up (pages redirect before they ask).
    """
    require_second_factor(user, organization)
    membership = membership_of(user, organization)
    return membership is not None and role_allows(membership.role, capability)


def is_member(user, organization: Organization) -> bool:
    """Is ``user`` (any user, not only the one making the request) a member of the organisation?"""
    if user is None or not getattr(user, "pk", None):
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def roles_grantable_by(user, organization: Organization) -> list[str]:
    membership = membership_of(user, organization)
    if membership is None:
        return []
    allowed = GRANTABLE_ROLES.get(membership.role, frozenset())
    return [value for value in Role.values if value in allowed]


def organizations_for(user):
    """Every organisation the user is a member of, or audits as an assigned auditor."""
    if not user.is_authenticated:
        return Organization.objects.none()
    audited = get_objects_for_user(
        user,
        AUDIT_READER_PERM,
        klass=Organization,
        accept_global_perms=False,
        with_superuser=False,
    ).values("pk")
    return Organization.objects.filter(
        models.Q(pk__in=member_organizations(user)) | models.Q(pk__in=audited)
    )


def member_organizations(user):
    """Ids of the organisations the user is a real member of (a subquery)."""
    return Membership.objects.filter(user=user).values("organization")


def grant_audit_reader(user, organization: Organization) -> None:
    """Let an assigned auditor who is not a member read the organisation (the audits app calls
    this when the assignment starts and ``revoke_audit_reader`` when the last one ends)."""
    grant(user, AUDIT_READER_PERM, organization)
    user.__dict__.pop("_membership_cache", None)


def revoke_audit_reader(user, organization: Organization) -> None:
    revoke(user, AUDIT_READER_PERM, organization)
    user.__dict__.pop("_membership_cache", None)


# --- object permissions (django-guardian) --------------------------------------------


def grant(user, perm: str, obj) -> None:
    """Grant an object permission (e.g. ``"itsms.view_organization"``) on one object."""
    assign_perm(perm, user, obj)


def revoke(user, perm: str, obj) -> None:
    """Withdraw an object permission granted with ``grant``."""
    remove_perm(perm, user, obj)


def can_on(user, perm: str, obj) -> bool:
    """Does ``user`` hold ``perm`` on ``obj`` through an object permission?"""
    return bool(user and user.is_authenticated and user.has_perm(perm, obj))


def objects_with(user, perm: str, queryset):
    """The objects of ``queryset`` on which ``user`` holds ``perm`` (object permissions only)."""
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )


# --- the organisation's second-factor policy -------------------------------------------


def has_second_factor(user) -> bool:
    """Has ``user`` an authenticator app or a security key (recovery codes alone do not count)?
    Cached on the user for the request."""
    if not user or not user.is_authenticated:
        return False
    if "_has_second_factor" not in user.__dict__:
        from allauth.mfa.models import Authenticator

        user.__dict__["_has_second_factor"] = Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    return user.__dict__["_has_second_factor"]


def second_factor_missing(user, organization: Organization) -> bool:
    """Does ``organization`` require a second factor that ``user`` has not set up? Everyone who
    reaches the organisation is held to it: members and assigned outside auditors alike. Costs
    a query only when the organisation requires one."""
    return bool(organization.require_mfa) and not has_second_factor(user)


class SecondFactorRequired(PermissionDenied):
    """The organisation requires a second factor the user has not set up (API: 403 with the
    code ``mfa_required``; pages: a redirect to the set-up)."""

    code = "mfa_required"

    def __init__(self, organization: Organization):
        self.organization = organization
        super().__init__(
            gettext(
                "%(organization)s requires a second factor. Set up an authenticator app or a "
                "security key on your account page (%(url)s), then try again."
            )
            % {"organization": organization.name, "url": "/accounts/2fa/"}
        )


def require_second_factor(user, organization: Organization) -> None:
    """Raise ``SecondFactorRequired`` when ``organization`` requires a factor ``user`` lacks."""
    if second_factor_missing(user, organization):
        raise SecondFactorRequired(organization)


def organizations_requiring_mfa(user) -> list[Organization]:
    """The organisations of ``user`` that require a second factor."""
    if not user or not user.is_authenticated:
        return []
    return list(organizations_for(user).filter(require_mfa=True).order_by("name"))


def may_export_archive(membership) -> bool:
    """The organisation archive (everything of the organisation, people included) is for its
    consultants and admins: real members, never an outside auditor."""
    return (
        membership is not None
        and membership.pk is not None
        and membership.role in (Role.CONSULTANT, Role.ADMIN)
    )
