"""Reads of tenancy: members of an organisation, and who may be told about something.

``recipients`` is the one selector of the people an email, a notification, a reminder, an
export or a PDF goes to: the active members (and assigned outside auditors) who may see its
subject, by the subject's policy (``itsms.shared.permissions``). A removed member, a
deactivated account or an auditor whose assignment ended gets nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from itsms.models import Membership, Organization, User
from itsms.shared import permissions


def members_of(organization):
    """The organisation's members (real memberships): the people one may pick as owner."""

    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )


def _organization_of(subject) -> Organization:
    return subject if isinstance(subject, Organization) else subject.organization


def recipients(
    subject,
    *,
    roles: Iterable[str] | None = None,
    among: Iterable[User] | None = None,
    action: str = "view",
) -> list[User]:
    """The active users who may ``action`` (by default see) ``subject`` (a tenant row or an
    organisation), ordered by id: its organisation's members — only those with one of
    ``roles`` when given — and its assigned outside auditors (when ``roles`` is None or names
    ``permissions.OUTSIDE_AUDITOR``); only those of ``among`` when given.

    A few queries: the candidates, then one per candidate whose role an object rule limits.
    """
    organization = _organization_of(subject)
    roles = None if roles is None else set(roles)
    among_ids = None if among is None else {u.pk for u in among if u is not None}
    if among_ids is not None and not among_ids:
        return []
    memberships = Membership.objects.filter(
        organization=organization, user__is_active=True
    ).select_related("user")
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    if among_ids is not None:
        memberships = memberships.filter(user__in=among_ids)
    candidates = [(m.user, m.role) for m in memberships]
    if roles is None or permissions.OUTSIDE_AUDITOR in roles:
        outside = User.objects.filter(
            is_active=True, pk__in=_readers_of(organization).values("user")
        ).exclude(memberships__organization=organization)
        if among_ids is not None:
            outside = outside.filter(pk__in=among_ids)
        candidates += [(user, permissions.OUTSIDE_AUDITOR) for user in outside]
    if isinstance(subject, Organization):
        access = permissions.Access(permissions.Capability.VIEW)
    else:
        access = permissions.policy_of(type(subject), action)
    chosen = []
    for user, role in candidates:
        if not permissions.role_allows(role, access.capability):
            continue
        if access.rule_for(role) is not None and not permissions.allows(user, action, subject):
            continue
        chosen.append(user)
    return sorted(chosen, key=lambda u: u.pk)


def _readers_of(organization):
    """The audit-reader grants on ``organization`` (outside auditors while assigned)."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    return UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Organization),
        object_pk=str(organization.pk),
        permission__codename=permissions.AUDIT_READER_PERM.split(".", 1)[1],
    )


def memberships_with_second_factor(memberships):
    """``memberships`` with their users, each marked ``has_second_factor`` (an authenticator
    app or a security key), in one query."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    factors = Authenticator.objects.filter(
        user_id=OuterRef("user_id"),
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
    )
    return (
        memberships.select_related("user")
        .annotate(has_second_factor=Exists(factors))
        .order_by("user__email")
    )
