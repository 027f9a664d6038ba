from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.shared.forms import Form

from . import registry


def kind_choices():
    return [("", _("Everything"))] + [(k.key, k.label) for k in registry.kinds()]


class SearchForm(Form):
    """The search box: a query, optionally one kind, and the page of that kind."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=kind_choices)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=500)
