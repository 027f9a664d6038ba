from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itsms.models import Organization, Role
from itsms.models.tenancy import time_zone_choices
from itsms.shared.forms import Form, ModelForm

from .slugs import propose_slug


class OrganizationForm(ModelForm):
    """Create or edit a client organisation."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    creator_role = forms.ChoiceField(
        label=_("Your role in it"),
        choices=[(Role.CONSULTANT, Role.CONSULTANT.label), (Role.ADMIN, Role.ADMIN.label)],
        initial=Role.CONSULTANT,
        help_text=_("Consultants run projects for clients; admins lead their own organisation."),
    )

    class Meta:
        model = Organization
        fields = ["name", "slug", "time_zone", "language", "scope", "require_mfa"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["creator_role"]
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "The slug is part of every address and cannot change."
            )
        else:
            # Proposed from the name as it is typed (static/js/app.js), or on saving when left
            # empty; Chinese names by their pinyin.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Part of every address, proposed from the name, e.g. eastern-harbour-bank. "
                "It cannot change later."
            )
            self.fields["slug"].widget.attrs.update(
                {"data-slug-from": "id_name", "data-slug-url": reverse("itsms:organization_slug")}
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower().strip()
        if not slug and not self.instance.pk:
            name = self.data.get(self.add_prefix("name"), "").strip()
            if not name:
                return slug  # the name's own error says what is missing
            slug = propose_slug(name)
        query = Organization.objects.filter(slug__iexact=slug)
        if self.instance.pk:
            query = query.exclude(pk=self.instance.pk)
        if query.exists():
            raise forms.ValidationError(_("An organisation with this slug already exists."))
        return slug


class InvitationForm(Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, grantable_roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if grantable_roles is not None:
            self.fields["role"].choices = [c for c in Role.choices if c[0] in grantable_roles]


class MembershipRoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationSignupForm(Form):
    """The account of an invited person who has none yet; the email comes from the invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from itsms.models import User

            try:
                validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
