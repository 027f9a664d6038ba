"""The organisation's single sign-on settings, as its admin fills them in."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from itsms.models import IdentityProvider, Role
from itsms.models.sso import DOMAIN_VALIDATOR
from itsms.shared.forms import Form, ModelForm

from .domains import clean_domain_list


def _url_field(model_field_name):
    field = IdentityProvider._meta.get_field(model_field_name)
    return forms.URLField(
        label=capfirst(field.verbose_name),
        help_text=field.help_text,
        required=False,
        assume_scheme="https",
    )


class IdentityProviderForm(ModelForm):
    issuer_url = _url_field("issuer_url")
    saml_metadata_url = _url_field("saml_metadata_url")
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Stored encrypted and never shown again. Leave empty to keep the secret already stored."
        ),
    )
    domains = forms.CharField(
        label=_("Email domains it signs in"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, e.g. ehbank.example. People with these addresses are sent to this "
            "provider when they sign in. A domain other than your own address's waits for the "
            "site administrator's approval."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "protocol",
            "name",
            "enabled",
            "issuer_url",
            "client_id",
            "client_secret",
            "saml_metadata_url",
            "saml_metadata_xml",
            "domains",
            "groups_claim",
            "default_role",
            "password_sign_in_disabled",
        ]
        widgets = {
            "protocol": forms.RadioSelect,
            "saml_metadata_xml": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_role"].choices = [("", _("No membership"))] + list(Role.choices)
        self.fields["protocol"].choices = IdentityProvider.Protocol.choices  # radios: no blank
        if self.instance.pk:
            self.fields["domains"].initial = "\n".join(
                d.domain for d in self.instance.domains.all()
            )
            if self.instance.has_client_secret:
                self.fields["client_secret"].help_text = _(
                    "A secret is stored (encrypted; it is never shown again). Type a new one to "
                    "replace it, or leave empty to keep it."
                )

    def clean_domains(self):
        domains = clean_domain_list(self.cleaned_data.get("domains", ""))
        for domain in domains:
            try:
                DOMAIN_VALIDATOR(domain)
            except ValidationError as exc:
                raise ValidationError(
                    _("%(domain)s is not a domain: %(reason)s")
                    % {"domain": domain, "reason": " ".join(exc.messages)}
                ) from exc
        if not domains:
            raise ValidationError(_("Name at least one email domain."))
        return domains


class GroupRoleForm(Form):
    """One row of the groups table: members of this IdP group get this role."""

    group = forms.CharField(
        label=_("Group at the identity provider"), required=False, max_length=200
    )
    role = forms.ChoiceField(
        label=_("Role here"), required=False, choices=[("", "—"), *Role.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("group") and not data.get("role"):
            self.add_error("role", _("Choose the role this group gets."))
        if data.get("role") and not data.get("group"):
            self.add_error("group", _("Name the group that gets this role."))
        return data


GroupRoleFormSet = forms.formset_factory(GroupRoleForm, extra=2)


def group_role_pairs(formset) -> list[list[str]]:
    return [
        [row.cleaned_data["group"].strip(), row.cleaned_data["role"]]
        for row in formset.forms
        if row.cleaned_data.get("group") and row.cleaned_data.get("role")
    ]
