from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address (the username field holds the email)."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )


class ApiTokenForm(forms.Form):
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


class PreferencesForm(forms.Form):
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
