from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from itsms.shared.forms import RoundTripMixin


class EmailAuthenticationForm(RoundTripMixin, AuthenticationForm):
    """Sign in with an email address (the username field holds the email)."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
