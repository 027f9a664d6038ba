"""API tokens: made, listed and revoked here (django-rest-knox keeps only their digests).

A token is named by its owner and expires (``API_TOKEN_DEFAULT_DAYS``, at most
``API_TOKEN_MAX_DAYS``). Its key is returned once, by ``api_token_create``; afterwards only its
first characters identify it. Every token of a user is revoked when the password changes or is
reset (``revoke_on_password_change``, connected in ``itsms.apps``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import ApiToken, User

NAME_MAX_LENGTH = 100


def tokens_of(user: User):
    """The user's tokens that still work, newest first (one query)."""
    now = timezone.now()
    return ApiToken.objects.filter(user=user).exclude(expiry__lte=now).order_by("-created")


def clamp_days(days: int | None) -> int:
    if days is None:
        return settings.API_TOKEN_DEFAULT_DAYS
    return max(1, min(int(days), settings.API_TOKEN_MAX_DAYS))


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its key, which is never available again."""
    name = (name or "").strip()[:NAME_MAX_LENGTH] or _("API token")
    token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=clamp_days(days)), name=name
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, digest: str) -> bool:
    """Revoke one of the user's own tokens; False when it is not theirs (or gone)."""
    deleted, _rows = ApiToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


def revoke_on_password_change(sender, instance, created, **kwargs):
    """``post_save`` of User: a password set since the last save (change, reset, admin,
    ``set_password``) revokes every API token of the user."""
    if not created and getattr(instance, "_password", None) is not None:
        api_tokens_revoke_all(user=instance)
