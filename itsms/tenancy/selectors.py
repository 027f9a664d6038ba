"""Reads of tenancy: members of an organisation."""

from itsms.models import User


def members_of(organization):
    """The organisation's members (real memberships): the people one may pick as owner."""

    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )
