"""Reads of tenancy: members of an organisation."""

from itsms.models import User


def members_of(organization):
    """The organisation's members (real memberships): the people one may pick as owner."""

    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
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
