from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.models import NotificationPreference
from itsms.shared.choices import TenantFormMixin
from itsms.shared.forms import Form, ModelForm
from itsms.tenancy.selectors import members_of

from .models import Certificate, CertificationProject


class ProjectForm(TenantFormMixin, ModelForm):
    class Meta:
        model = CertificationProject
        fields = ["certification_body", "target_stage1", "target_certificate"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from audits.models import CertificationBody

        self.fields["certification_body"].queryset = CertificationBody.objects.order_by("name")


class StepForm(TenantFormMixin, Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()


class ItemForm(Form):
    text = forms.CharField(label=_("New item"), max_length=300)


class CertificateForm(TenantFormMixin, ModelForm):
    class Meta:
        model = Certificate
        fields = [
            "edition",
            "number",
            "scope",
            "certification_body",
            "decision_date",
            "issue_date",
            "status",
            "previous",
            "transition_passed",
            "notes",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from audits.models import CertificationBody

        self.fields["certification_body"].queryset = CertificationBody.objects.order_by("name")
        self.fields["previous"].queryset = Certificate.objects.order_by("-decision_date")
        self.fields["previous"].help_text = _(
            "For a recertification: the certificate it replaces (its expiry sets the new one)."
        )
        self.instance.organization = organization


class PreferenceForm(ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["channel"]
