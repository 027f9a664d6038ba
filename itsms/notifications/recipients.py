"""Who may receive a notification about an organisation.

One function, so that the tenancy checkpoint's recipients selector can take its place: an
active member of the organisation, or an outside auditor while assigned to one of its audits
(the object permission ``AUDIT_READER_PERM``). A removed member, a deactivated account or an
auditor whose assignment ended gets nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from guardian.shortcuts import get_users_with_perms

from itsms.models import Organization, User
from itsms.shared.permissions import AUDIT_READER_PERM


def recipients_among(organization: Organization, users: Iterable[User | None]) -> list[User]:
    """The users of ``users`` who may read ``organization`` now (one query), by id."""
    ids = {u.pk for u in users if u is not None and getattr(u, "pk", None)}
    if not ids:
        return []
    auditors = get_users_with_perms(
        organization,
        only_with_perms_in=[AUDIT_READER_PERM.split(".", 1)[1]],
        with_superusers=False,
        with_group_users=False,
    ).values("pk")
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .filter(Q(memberships__organization=organization) | Q(pk__in=auditors))
        .distinct()
        .order_by("pk")
    )
