"""Receivers of allauth's signals (connected in ``ItsmsConfig.ready``): what a sign-in records,
and which changes sign the user's other sessions out."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed

from . import services
from .forms import axes_credentials


def on_user_logged_in(sender, request, user, **kwargs):
    """Every sign-in (password, passkey, identity provider): the browser, and for a sign-in
    through an organisation's identity provider the membership its groups map to."""
    services.sign_in_record(request=request, user=user)
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None and sociallogin.state.get("itsms_provider"):
        from itsms.models import IdentityProvider
        from itsms.sso import services as sso_services

        provider = IdentityProvider.objects.filter(pk=sociallogin.state["itsms_provider"]).first()
        if provider is not None:
            sso_services.sign_in_membership(
                provider=provider, user=user, groups=sociallogin.state.get("itsms_groups", [])
            )


def on_security_change(sender, request=None, user=None, **kwargs):
    """A new password or a change of second factors signs out every other session."""
    if request is None or not getattr(request, "session", None):
        return
    user = user or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    services.sessions_end_others(request=request, user=user)
    user.__dict__.pop("_has_second_factor", None)


def on_second_factor_failed(sender, request=None, user=None, **kwargs):
    """A wrong code (or key) at the second step counts as a failed sign-in for django-axes."""
    if request is None or user is None:
        return
    user_login_failed.send(
        sender=__name__, credentials=axes_credentials(user.email), request=request
    )


def connect():
    from allauth.account import signals as account
    from allauth.mfa import signals as mfa

    account.user_logged_in.connect(on_user_logged_in, dispatch_uid="itsms.sign_in")
    for signal in (account.password_changed, account.password_set):
        signal.connect(on_security_change, dispatch_uid=f"itsms.security.{id(signal)}")
    for signal in (mfa.authenticator_added, mfa.authenticator_removed, mfa.authenticator_reset):
        signal.connect(on_security_change, dispatch_uid=f"itsms.security.{id(signal)}")
    mfa.authentication_failed.connect(on_second_factor_failed, dispatch_uid="itsms.mfa_failed")
