"""The one place that answers "may this user do X here, to this?".

Three layers, each named once:

- **Roles → capabilities** (``ROLE_CAPABILITIES``): what a membership's role allows in its
  organisation. ``MANAGERS`` is "a consultant or an admin".
- **Outside auditors**: a user who is no member but is assigned to one of the organisation's
  audits reads it, exactly while an assignment lasts (``OUTSIDE_AUDITOR``; the audits app calls
  ``grant_audit_reader`` / ``revoke_audit_reader``). A member with the auditor role is an
  internal auditor: a member like any other.
- **Policies and object rules**: for every tenant model and action (``view``, ``add``,
  ``change``, ``delete``, and a model's own, e.g. evidence ``approve``), the capability it
  needs and, per role, the named rule that limits the rows (``Rule``: the contributor's
  assignments, the owner, the outside auditor's audits…). ``Model.objects.restrict(user,
  action)`` applies them in SQL; ``allows(user, action, obj)`` asks for one row. Each app
  registers the policies of its models in its ``permissions.py`` (``register``).

Views, the API, templates, tasks and emails ask here; nothing else reads roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm
from guardian.utils import clean_orphan_obj_perms  # noqa: F401  (re-exported for maintenance)

from itsms.models import (
    ClauseAssessment,
    Evidence,
    EvidenceVersion,
    GapAssessment,
    IdentityProvider,
    ImportPreview,
    Invitation,
    Membership,
    Notification,
    Organization,
    OrganizationArchive,
    ReadinessSnapshot,
    Role,
    SearchDocument,
    SSODomain,
)


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


#: "A consultant or an admin": the roles that manage an organisation.
MANAGERS: frozenset[str] = frozenset({Role.CONSULTANT, Role.ADMIN})
#: Not a role of a membership: an auditor assigned to one of the organisation's audits who is
#: not a member. Reads while assigned, records findings only in the audits assigned.
OUTSIDE_AUDITOR = "outside_auditor"
#: Every role a rule may name (the five roles, then the outside auditor).
ALL_ROLES: tuple[str, ...] = (*Role.values, OUTSIDE_AUDITOR)
#: Everyone but the managers (the roles most object rules limit).
NON_MANAGERS: tuple[str, ...] = tuple(r for r in ALL_ROLES if r not in MANAGERS)

_ALL = set(Capability)
_READ = frozenset({Capability.VIEW, Capability.VIEW_MEMBERS, Capability.RECORD_FINDINGS})
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CONSULTANT: frozenset(_ALL - {Capability.RECORD_FINDINGS}),
    Role.ADMIN: frozenset(_ALL - {Capability.RECORD_FINDINGS}),
    Role.CONTRIBUTOR: frozenset(
        {Capability.VIEW, Capability.VIEW_MEMBERS, Capability.ASSESS, Capability.UPLOAD_EVIDENCE}
    ),
    Role.AUDITOR: _READ,
    Role.VIEWER: frozenset({Capability.VIEW, Capability.VIEW_MEMBERS}),
    OUTSIDE_AUDITOR: _READ,
}

# Roles that may hand out each role: nobody grants more than they hold.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {role: frozenset(Role.values) for role in MANAGERS}

AUDIT_READER_PERM = "itsms.view_organization"


def is_manager(membership) -> bool:
    """Is this a real membership of a consultant or an admin?"""
    return is_real(membership) and membership.role in MANAGERS


def is_real(membership) -> bool:
    """A membership row, not the stand-in of an outside auditor."""
    return membership is not None and membership.pk is not None


def role_of(membership) -> str | None:
    """The membership's role for the policies: its role, or ``OUTSIDE_AUDITOR``."""
    if membership is None:
        return None
    return membership.role if membership.pk is not None else OUTSIDE_AUDITOR


def _forget(user) -> None:
    for cache in ("_membership_cache", "_perm_cache"):
        user.__dict__.pop(cache, None)


def membership_of(user, organization: Organization) -> Membership | None:
    """The user's membership in the organisation, or None (cached on the user for the request).

    An outside auditor gets an unsaved membership with the auditor role (``pk`` None):
    read-only, findings only where assigned.
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


def membership_allows(membership, capability: str) -> bool:
    return role_allows(role_of(membership), capability)


def can(user, capability: str, organization: Organization) -> bool:
    """May ``user`` do ``capability`` in ``organization`` by virtue of their role?

    The API's capability check: it raises ``SecondFactorRequired`` when the organisation
    requires a second factor the user has not set up (pages redirect before they ask).
    """
    require_second_factor(user, organization)
    return membership_allows(membership_of(user, organization), capability)


def is_member(user, organization: Organization) -> bool:
    """Is ``user`` (any user, not only the one making the request) a member of the organisation?"""
    if user is None or not getattr(user, "pk", None):
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def roles_grantable_by(user, organization: Organization) -> list[str]:
    membership = membership_of(user, organization)
    if not is_real(membership):
        return []
    allowed = GRANTABLE_ROLES.get(membership.role, frozenset())
    return [value for value in Role.values if value in allowed]


# --- which organisations ---------------------------------------------------------------------


def member_organizations(user, roles: Iterable[str] | None = None):
    """Ids of the organisations the user is a real member of (a subquery), optionally only
    where their role is one of ``roles``."""
    rows = Membership.objects.filter(user=user)
    if roles is not None:
        rows = rows.filter(role__in=list(roles))
    return rows.values("organization")


def audited_organizations(user):
    """Ids of the organisations whose audits the user is assigned to (a subquery; the audit
    reader permission, granted while an assignment lasts)."""
    return (
        UserObjectPermission.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(Organization),
            permission__codename=AUDIT_READER_PERM.split(".", 1)[1],
        )
        .annotate(organization_id=Cast("object_pk", models.BigIntegerField()))
        .values("organization_id")
    )


def _organizations_q(user, roles: Iterable[str], path: str = "organization") -> Q:
    """Rows whose organisation is one where the user holds one of ``roles``."""
    roles = list(roles)
    members = [r for r in roles if r != OUTSIDE_AUDITOR]
    q = Q(pk__in=[])
    if members:
        q |= Q(**{f"{path}__in": member_organizations(user, members)})
    if OUTSIDE_AUDITOR in roles:
        q |= Q(**{f"{path}__in": audited_organizations(user)}) & ~Q(
            **{f"{path}__in": member_organizations(user)}
        )
    return q


def organizations_for(user, capability: str = Capability.VIEW):
    """Every organisation where the user's role allows ``capability``: memberships, plus the
    organisations an outside auditor is assigned to audit."""
    if not user or not user.is_authenticated:
        return Organization.objects.none()
    roles = [r for r in ALL_ROLES if role_allows(r, capability)]
    return Organization.objects.filter(_organizations_q(user, roles, path="pk"))


def grant_audit_reader(user, organization: Organization) -> None:
    """Let an assigned auditor who is not a member read the organisation (the audits app calls
    this when an assignment starts and ``revoke_audit_reader`` when the last one ends)."""
    grant(user, AUDIT_READER_PERM, organization)
    _forget(user)


def revoke_audit_reader(user, organization: Organization) -> None:
    revoke(user, AUDIT_READER_PERM, organization)
    _forget(user)


# --- object permissions (django-guardian) ----------------------------------------------------


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


# --- policies: what each action on each tenant model needs ----------------------------------


@dataclass(frozen=True)
class Rule:
    """A named object rule: the rows a user may act on, as a condition on the model's rows."""

    name: str
    condition: Callable[[object], Q]
    doc: str = ""

    def __call__(self, user) -> Q:
        return self.condition(user)


def rule(func: Callable[[object], Q]) -> Rule:
    """Declare a named rule (its name is the function's, its documentation its docstring)."""
    return Rule(name=func.__name__, condition=func, doc=(func.__doc__ or "").strip())


NOBODY = Rule("nobody", lambda user: Q(pk__in=[]), "No row at all.")


@dataclass(frozen=True)
class Access:
    """What one action on a model needs: a role capability, then per role an optional rule.

    A role that has the capability and is not named in ``limits`` acts on every row of its
    organisations; ``everyone`` limits every role at once (e.g. one's own notifications).
    """

    capability: str
    limits: Mapping[str, Rule] = field(default_factory=dict)
    everyone: Rule | None = None

    def rule_for(self, role: str) -> Rule | None:
        return self.limits.get(role, self.everyone)


def limited(rule_: Rule, roles: Iterable[str] = NON_MANAGERS) -> dict[str, Rule]:
    """``{role: rule}`` for each of ``roles`` (by default everyone but the managers)."""
    return {role: rule_ for role in roles}


#: ``{model: {action: Access}}``: every tenant model's policy (``register``).
POLICIES: dict[type, dict[str, Access]] = {}


def register(model, **actions: Access) -> None:
    """Declare the policy of a tenant model: ``register(Kpi, view=Access(...), ...)``."""
    POLICIES.setdefault(model, {}).update(actions)


def policy_of(model, action: str) -> Access:
    try:
        return POLICIES[model][action]
    except KeyError:
        raise ImproperlyConfigured(
            f"No policy for {action!r} on {model.__name__}: register it in the permissions "
            "module of its app (itsms.shared.permissions.register)."
        ) from None


def restriction(model, user, action: str = "view") -> Q:
    """The rows of ``model`` the user may ``action``, as one condition (no query runs here)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    access = policy_of(model, action)
    groups: dict[Rule | None, list[str]] = {}
    for role in ALL_ROLES:
        if role_allows(role, access.capability):
            groups.setdefault(access.rule_for(role), []).append(role)
    q = Q(pk__in=[])
    for rule_, roles in groups.items():
        part = _organizations_q(user, roles)
        if rule_ is not None:
            part &= rule_(user)
        q |= part
    return q


def allows(user, action: str, obj) -> bool:
    """May the user ``action`` this row (its model's policy, checked in one query)?"""
    if obj is None or obj.pk is None:
        return False
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def rule_names(model, action: str, role: str) -> list[str]:
    """The names of what limits ``role`` doing ``action`` on ``model`` (for docs and tests)."""
    access = policy_of(model, action)
    if not role_allows(role, access.capability):
        return [NOBODY.name]
    found = access.rule_for(role)
    return [found.name] if found else []


# --- the core's rules and policies ------------------------------------------------------------


@rule
def own_notifications(user) -> Q:
    """Everyone reads and marks only the notifications addressed to them."""
    return Q(user=user)


@rule
def live_evidence(user) -> Q:
    """Deleted evidence is seen only by those who may restore it (managers)."""
    return Q(deleted_at__isnull=True)


@rule
def versions_of_live_evidence(user) -> Q:
    return Q(evidence__deleted_at__isnull=True)


def _linked_process_model():
    """The model of ``Evidence.processes`` (the processes app, above the core), or None."""
    try:
        return Evidence._meta.get_field("processes").related_model
    except Exception:  # noqa: BLE001 - FieldDoesNotExist when the app is not installed
        return None


@rule
def contributors_evidence(user) -> Q:
    """A contributor changes live evidence they own or that is linked to a clause or a
    process assigned to them (in the evidence's organisation)."""
    mine = Q(owner=user) | Q(
        Exists(
            ClauseAssessment.objects.filter(
                owner=user, organization=OuterRef("organization"), clause__evidence=OuterRef("pk")
            )
        )
    )
    process_model = _linked_process_model()
    if process_model is not None:
        mine |= Q(
            Exists(
                process_model._default_manager.filter(
                    owner=user, organization=OuterRef("organization"), evidence=OuterRef("pk")
                )
            )
        )
    return Q(deleted_at__isnull=True) & mine


@rule
def contributors_unapproved_evidence(user) -> Q:
    """A contributor deletes only their evidence that was never approved: approved evidence
    is never deleted by a contributor."""
    return contributors_evidence(user) & Q(approved_at__isnull=True, approved_version__isnull=True)


@rule
def named_reviewer(user) -> Q:
    """Approving needs the item's named reviewer (or a manager)."""
    return Q(reviewer=user, deleted_at__isnull=True)


@rule
def assigned_clauses(user) -> Q:
    """A contributor edits only the clauses assigned to them (they own)."""
    return Q(owner=user)


register(
    Membership,
    view=Access(Capability.VIEW_MEMBERS),
    change=Access(Capability.MANAGE_MEMBERS),
    delete=Access(Capability.MANAGE_MEMBERS),
)
register(
    Invitation,
    view=Access(Capability.MANAGE_MEMBERS),
    add=Access(Capability.MANAGE_MEMBERS),
    change=Access(Capability.MANAGE_MEMBERS),
)
register(
    GapAssessment,
    view=Access(Capability.VIEW),
    add=Access(Capability.CHANGE_ORGANIZATION),
)
register(
    ClauseAssessment,
    view=Access(Capability.VIEW),
    add=Access(Capability.CHANGE_ORGANIZATION),
    change=Access(Capability.ASSESS, limits=limited(assigned_clauses, [Role.CONTRIBUTOR])),
)
register(
    Evidence,
    view=Access(Capability.VIEW, limits=limited(live_evidence)),
    add=Access(Capability.UPLOAD_EVIDENCE),
    change=Access(
        Capability.UPLOAD_EVIDENCE, limits=limited(contributors_evidence, [Role.CONTRIBUTOR])
    ),
    delete=Access(
        Capability.UPLOAD_EVIDENCE,
        limits=limited(contributors_unapproved_evidence, [Role.CONTRIBUTOR]),
    ),
    approve=Access(Capability.UPLOAD_EVIDENCE, limits=limited(named_reviewer, [Role.CONTRIBUTOR])),
    restore=Access(Capability.CHANGE_ORGANIZATION),
)
register(EvidenceVersion, view=Access(Capability.VIEW, limits=limited(versions_of_live_evidence)))
register(
    Notification,
    view=Access(Capability.VIEW, everyone=own_notifications),
    change=Access(Capability.VIEW, everyone=own_notifications),
)
register(ReadinessSnapshot, view=Access(Capability.VIEW))
# Single sign-on: the organisation's identity provider and its email domains (its managers).
register(
    IdentityProvider,
    view=Access(Capability.CHANGE_ORGANIZATION),
    add=Access(Capability.CHANGE_ORGANIZATION),
    change=Access(Capability.CHANGE_ORGANIZATION),
    delete=Access(Capability.CHANGE_ORGANIZATION),
)
register(
    SSODomain,
    view=Access(Capability.CHANGE_ORGANIZATION),
    add=Access(Capability.CHANGE_ORGANIZATION),
    change=Access(Capability.CHANGE_ORGANIZATION),
    delete=Access(Capability.CHANGE_ORGANIZATION),
)
# The organisation archive (everything of it, people included): consultants and admins only,
# never an outside auditor (who has no CHANGE_ORGANIZATION).
register(
    OrganizationArchive,
    view=Access(Capability.CHANGE_ORGANIZATION),
    add=Access(Capability.CHANGE_ORGANIZATION),
)
# The search index: a document is read only through its kind's policy (the search selector
# restricts each kind's rows); the rows themselves, per organisation.
register(SearchDocument, view=Access(Capability.VIEW))
# The gap assessment's import dry runs: only those who may import read, store and apply them.
register(
    ImportPreview,
    view=Access(Capability.CHANGE_ORGANIZATION),
    add=Access(Capability.CHANGE_ORGANIZATION),
    change=Access(Capability.CHANGE_ORGANIZATION),
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
