"""The sign-in form (email first; a domain with single sign-on goes to its identity provider)
and the second step of sign-in (a code from an authenticator app or a recovery code), which
counts towards the same lockout as the password (django-axes)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.shared.forms import Form, RoundTripMixin
from itsms.sso import selectors as sso


def axes_credentials(email: str) -> dict:
    """The credentials django-axes keys a lockout on, as the sign-in form posts them."""
    return {"username": (email or "").strip().lower()}


class LoginForm(RoundTripMixin, AllauthLoginForm):
    """Sign in with an email address and a password, or through the organisation's identity
    provider when the address's domain has one.

    The email is posted as ``username`` (as Django's sign-in form did), so the lockout, the
    API's token endpoint and scripts see one field name. A covered domain whose organisation
    turned password sign-in off always goes to the IdP; otherwise an empty password, or the
    "single sign-on" button, does.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("login")
        self.fields["username"] = forms.EmailField(
            label=_("Email address"),
            widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
        )
        self.fields["password"].required = False
        self.fields["password"].help_text = ""
        self.order_fields(["username", "password"])
        self.identity_provider = None

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if not email:
            return self.cleaned_data
        self.cleaned_data["login"] = email
        provider = sso.provider_for_email(email)
        wants_sso = "sso" in self.data
        if provider and (
            provider.password_sign_in_disabled or wants_sso or not self.cleaned_data.get("password")
        ):
            self.identity_provider = provider
            return self.cleaned_data
        if wants_sso:
            raise forms.ValidationError(
                _(
                    "No single sign-on is set up for this email address. "
                    "Sign in with your password."
                ),
                code="no_sso",
            )
        if not self.cleaned_data.get("password"):
            self.add_error("password", _("Enter your password."))
            return self.cleaned_data
        return super().clean()

    def user_credentials(self) -> dict:
        credentials = {"username": self.cleaned_data["login"]}
        if self.cleaned_data.get("password"):
            credentials["password"] = self.cleaned_data["password"]
        return credentials

    def login(self, request, redirect_url=None):
        if self.identity_provider is not None:
            return sso.redirect_to_provider(request, self.identity_provider, next_url=redirect_url)
        return super().login(request, redirect_url=redirect_url)


class SecondFactorForm(RoundTripMixin, AuthenticateForm):
    """The code of the second step. A locked-out user cannot pass it (not even with the right
    code), and a wrong code counts as a failed sign-in (``itsms.accounts.signals``)."""

    def clean_code(self):
        from .lockout import locked_out, lockout_message

        request = context.request
        if locked_out(request, self.user.email):
            request.axes_locked_out = True
            raise forms.ValidationError(lockout_message(), code="locked_out")
        return super().clean_code()


class ApiTokenForm(Form):
    """A new API token: what it is for, and how long it lives."""

    EXPIRY_CHOICES = [
        (30, _("30 days")),
        (90, _("90 days")),
        (180, _("180 days")),
        (365, _("One year")),
    ]

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )


class PreferencesForm(Form):
    """How the user hears of notifications and reminders, and their time zone."""

    channel = forms.ChoiceField(
        label=_("Notifications and reminders"),
        help_text=_(
            "Work assigned to you or moving on (evidence to review, corrective actions, "
            "clauses, processes, audits) and certification reminders."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        help_text=_(
            "For pages that belong to no organisation (an organisation's pages use its own "
            "zone), and the default of organisations you create. Empty: your browser's."
        ),
    )

    def __init__(self, *args, **kwargs):
        from itsms.models import NotificationPreference
        from itsms.models.tenancy import time_zone_choices

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = NotificationPreference.Channel.choices
        self.fields["time_zone"].choices = [("", _("— your browser's —"))] + time_zone_choices()
