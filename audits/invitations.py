"""Inviting an external auditor to one audit by email, with an expiring single-use link."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import Invitation, User
from itsms.shared.history import save_recorded
from itsms.shared.links import absolute_url
from itsms.shared.timezones import organization_context

from . import services
from .models import Audit, AuditInvitation


def _by_token(token: str):
    from itsms.models.tenancy import _hash_token

    return AuditInvitation.objects.select_related("audit__organization").filter(
        token_hash=_hash_token(token)
    )


@transaction.atomic
def audit_invitation_create(*, audit: Audit, actor, email: str, role: str) -> str:
    """Invite ``email`` to this audit only (recorded with who invited); returns the token."""
    email = email.strip().lower()
    token, token_hash = Invitation.new_token()
    invitation = save_recorded(
        AuditInvitation(
            organization=audit.organization,
            audit=audit,
            email=email,
            role=role,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
        ),
        actor,
    )
    link = absolute_url(reverse("audits:invitation_accept", args=[token]))
    transaction.on_commit(lambda: _send(invitation, link))
    return token


def _send(invitation: AuditInvitation, link: str) -> None:
    with organization_context(invitation.audit.organization):
        subject = _("You are invited to audit %(org)s: %(audit)s") % {
            "org": invitation.audit.organization.name,
            "audit": invitation.audit.title,
        }
        body = render_to_string(
            "audits/email/invitation.txt", {"invitation": invitation, "link": link}
        )
    send_mail(subject, body, None, [invitation.email])


class AuditInvitationError(Exception):
    """An audit invitation that cannot be used; ``code`` says why (pages branch on it, never on
    the translated message): "invalid", "used", "expired", "has_account", "wrong_user"."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.code = code


def invitation_for(token: str) -> AuditInvitation:
    invitation = _by_token(token).first()
    if invitation is None:
        raise AuditInvitationError(_("This invitation link is not valid."), code="invalid")
    if invitation.accepted_at is not None:
        raise AuditInvitationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise AuditInvitationError(
            _("This invitation has expired. Ask for a new one."), code="expired"
        )
    return invitation


@transaction.atomic
def audit_invitation_accept(*, token: str, user: User | None, full_name="", password="") -> User:
    """Accept an invitation (creating the account when needed): the auditor is assigned to the
    audit, and reads the organisation while assigned."""
    invitation = invitation_for(token)
    invitation = (
        AuditInvitation.objects.select_for_update(of=("self",))
        .select_related("audit__organization")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise AuditInvitationError(_("This invitation has already been used."), code="used")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AuditInvitationError(
                _("An account with this email exists: sign in to accept."), code="has_account"
            )
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise AuditInvitationError(
            _("This invitation was sent to %(invited)s, but you are signed in as %(current)s.")
            % {"invited": invitation.email, "current": user.email},
            code="wrong_user",
        )
    services.assignment_add(
        audit=invitation.audit, actor=invitation.invited_by, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    save_recorded(invitation, user)
    return user
