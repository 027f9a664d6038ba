"""API token authentication: django-rest-knox's, hardened and with "last used" kept."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from itsms.models import ApiToken

#: "Last used" is written at most this often per token (not on every request).
LAST_USED_GRANULARITY = timedelta(minutes=5)


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``: the key is hashed and compared with the stored digest.

    An expired token is refused (and deleted); a header that is not text is a 401, not a 500.
    """

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        user, auth_token = super().authenticate_credentials(token)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
            auth_token.last_used_at = now
        return user, auth_token
