"""How django-allauth fits the product.

- ``AccountAdapter``: no open sign-up (accounts come from invitations and from organisations'
  identity providers); emails go through Celery; after signing in, a user whose organisation
  requires a second factor and who has none is taken to set one up.
- ``MFAAdapter``: TOTP keys are stored encrypted; the last second factor cannot be removed while
  an organisation of the user requires one.
- ``SocialAccountAdapter``: identity providers come from the organisations' own configuration
  (``itsms.sso``), and each one vouches only for its approved domains.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from itsms.shared import crypto, permissions
from itsms.shared.views import AFTER_MFA_SETUP
from itsms.sso import selectors as sso

from .emails import queue_email


def remember_after_setup(request, url: str) -> None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        request.session[AFTER_MFA_SETUP] = url


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Please enter a correct email address and password."),
    }

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """Render in the request (the reader's language), deliver through Celery."""
        ctx = {"request": self.request, "email": email, "site_url": _site_url()}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, kind in getattr(message, "alternatives", [])), None)
        queue_email(subject=message.subject, body=message.body, to=message.to, html=html)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        super().send_notification_mail(template_prefix, user, context, email or user.email)

    def format_email_subject(self, subject):
        return subject

    def get_login_redirect_url(self, request):
        default = super().get_login_redirect_url(request)
        required_by = permissions.organizations_requiring_mfa(request.user)
        if required_by and not permissions.has_second_factor(request.user):
            remember_after_setup(
                request,
                request.session.get(AFTER_MFA_SETUP)
                or reverse("itsms:my_work", args=[required_by[0].slug]),
            )
            return reverse("mfa_index")
        return default


def _site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/")


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator) -> bool:
        """Not the last second factor of someone an organisation requires one of."""
        from allauth.mfa.models import Authenticator

        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        others = (
            Authenticator.objects.filter(
                user_id=authenticator.user_id,
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
            )
            .exclude(pk=authenticator.pk)
            .exists()
        )
        return others or not permissions.organizations_requiring_mfa(authenticator.user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        return sso.social_apps(provider=provider, client_id=client_id)

    def pre_social_login(self, request, sociallogin):
        """Refuse anyone the provider does not vouch for: their address (and the account it
        would sign in to) must be in one of the provider's approved domains."""
        provider = sso.provider_of_app(sociallogin.provider.app)
        emails = _emails_to_vouch_for(sociallogin)
        email = emails[0] if emails else ""
        if provider is None or not emails or not all(sso.covers(provider, e) for e in emails):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "itsms/sso_refused.html",
                    {"email": email, "provider": provider},
                    status=403,
                )
            )
        sociallogin.state["itsms_provider"] = provider.pk
        sociallogin.state["itsms_groups"] = sso.groups_of(sociallogin, provider)

    def is_open_for_signup(self, request, sociallogin):
        """A first sign-in creates the account of someone the provider vouched for (checked in
        ``pre_social_login``, which runs first)."""
        return bool(sociallogin.state.get("itsms_provider"))

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").strip().lower()
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "")[:150]
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        raise ImmediateHttpResponse(
            render(request, "itsms/sso_refused.html", {"error": True}, status=400)
        )


def _emails_to_vouch_for(sociallogin) -> list[str]:
    """The addresses the provider asserted, and the address of the account the sign-in would
    open (an existing account found by its link to the provider, or by its address)."""
    emails = [e.email.strip().lower() for e in sociallogin.email_addresses if e.email]
    user = sociallogin.user
    if user is not None and user.email:
        emails.append(user.email.strip().lower())
    return list(dict.fromkeys(emails))
