"""An authentication backend that refuses passwords where an organisation turned them off."""

from django.core.exceptions import PermissionDenied

from itsms.sso import selectors as sso


class SingleSignOnOnlyBackend:
    """Placed before the password backends: a password sign-in (the sign-in form, the API's
    token endpoint, the site admin's) for an address whose organisation signs it in through its
    identity provider only is refused, whatever the password. (No ``get_user``: it never signs
    anyone in, and Django's ``force_login`` picks the first backend that has one.)"""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if email and password:
            provider = sso.provider_for_email(email)
            if provider is not None and provider.password_sign_in_disabled:
                raise PermissionDenied("password sign-in is off for this domain")
        return None
