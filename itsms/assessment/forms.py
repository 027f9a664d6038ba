"""Forms of the gap assessment: one clause edited inline, and a chapter assigned in bulk."""

from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.models import ClauseAssessment
from itsms.shared.choices import TenantFormMixin
from itsms.shared.forms import Form, ModelForm


class ClauseAssessmentForm(TenantFormMixin, ModelForm):
    """One clause's assessment, edited inline on the tree."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ClauseAssessment
        fields = [
            "status",
            "maturity",
            "owner",
            "target_date",
            "other_party",
            "other_party_name",
            "notes",
        ]
        widgets = {
            "notes": forms.TextInput(attrs={"placeholder": _("Note")}),
            "other_party_name": forms.TextInput(attrs={"placeholder": _("Name of the party")}),
            "maturity": forms.Select(choices=[(i, str(i)) for i in range(6)]),
        }

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].empty_label = _("— no owner —")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class BulkAssignForm(TenantFormMixin, Form):
    heading = forms.ModelChoiceField(label=_("Chapter or heading"), queryset=None)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    target_date = forms.DateField(label=_("Target date"), required=False)

    def __init__(self, *args, headings=None, members=None, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")  # the page's filter has an owner field too
        super().__init__(*args, **kwargs)
        self.fields["heading"].queryset = headings
        self.fields["heading"].label_from_instance = lambda c: f"{c.number} {c.title}"
        self.fields["owner"].queryset = members
        self.fields["owner"].empty_label = _("— no owner —")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()
