"""Writes of the core: organisations, memberships, invitations.

Keyword-only, atomic, validated with ``full_clean()``; each records who acted
(django-simple-history keeps the before/after).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import Invitation, Membership, Organization, Role, User
from itsms.shared import permissions
from itsms.shared.history import save_recorded
from itsms.shared.links import absolute_url

from .emails import send_invitation_email

MANAGING_ROLES = (Role.CONSULTANT, Role.ADMIN)


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    slug: str,
    time_zone: str = "UTC",
    language: str = "en",
    scope: str = "",
    creator_role: str = Role.CONSULTANT,
    require_mfa: bool = False,
) -> Organization:
    """Create a client organisation; its creator becomes a consultant (or admin) of it."""
    if creator_role not in MANAGING_ROLES:
        raise ValidationError({"creator_role": _("The creator must be a consultant or an admin.")})
    organization = Organization(
        name=name,
        slug=slug,
        time_zone=time_zone,
        language=language,
        scope=scope,
        require_mfa=require_mfa,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            save_recorded(organization, actor)
    except IntegrityError as exc:  # a concurrent create with the same slug
        raise ValidationError(
            {"slug": _("An organisation with this slug already exists.")}
        ) from exc
    save_recorded(Membership(organization=organization, user=actor, role=creator_role), actor)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor: User, **fields) -> Organization:
    for key in ("name", "time_zone", "language", "scope", "require_mfa"):
        if key in fields:
            setattr(organization, key, fields[key])
    return save_recorded(organization, actor)


def _ensure_manager_remains(organization: Organization, leaving: Membership):
    others = (
        Membership.objects.filter(organization=organization, role__in=MANAGING_ROLES)
        .exclude(pk=leaving.pk)
        .exists()
    )
    if not others:
        raise ValidationError(
            _("An organisation needs at least one consultant or admin; appoint another first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    if role not in permissions.roles_grantable_by(actor, membership.organization):
        raise PermissionDenied(_("You may not grant this role."))
    if membership.role in MANAGING_ROLES and role not in MANAGING_ROLES:
        _ensure_manager_remains(membership.organization, membership)
    membership.role = role
    return save_recorded(membership, actor)


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    if membership.role in MANAGING_ROLES:
        _ensure_manager_remains(membership.organization, membership)
    membership._history_user = actor
    membership.delete()


def invitation_url(token: str) -> str:
    return absolute_url(reverse("itsms:invitation_accept", args=[token]))


@transaction.atomic
def invitation_create(
    *, organization: Organization, actor: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite ``email`` with ``role``; email the single-use link. Returns (invitation, token)."""
    email = email.strip().lower()
    if role not in permissions.roles_grantable_by(actor, organization):
        raise PermissionDenied(_("You may not grant this role."))
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    # A new invitation replaces any pending one for the same address.
    Invitation.objects.filter(organization=organization, email__iexact=email).pending().update(
        revoked_at=timezone.now()
    )
    token, token_hash = Invitation.new_token()
    invitation = save_recorded(
        Invitation(
            organization=organization,
            email=email,
            role=role,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=Invitation.default_expiry(),
        ),
        actor,
    )
    link = invitation_url(token)
    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, link))
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.status != "pending":
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    return save_recorded(invitation, actor)


class InvitationError(Exception):
    """An invitation link that cannot be used, with a message the user can act on."""


def invitation_check(invitation: Invitation) -> None:
    if invitation.is_accepted:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.is_revoked:
        raise InvitationError(_("This invitation was withdrawn. Ask for a new one."))
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Turn a valid invitation into a membership for ``user`` (whose email must match)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).by_token(token).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."))
    invitation_check(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(current)s. "
                "Sign out and open the link again."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        save_recorded(membership, invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save_recorded(invitation, user)
    return membership


@transaction.atomic
def user_register_from_invitation(*, token: str, full_name: str, password: str) -> User:
    """Create the account of an invited person who has none yet, then accept."""
    invitation = Invitation.objects.select_for_update(of=("self",)).by_token(token).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."))
    invitation_check(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(_("An account with this email exists: sign in to accept."))
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    invitation_accept(token=token, user=user)
    return user
