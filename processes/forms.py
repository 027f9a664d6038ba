"""Forms of the processes app. Every choice of a related object is limited to the organisation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.shared.choices import TenantFormMixin
from itsms.shared.forms import ModelForm

from . import selectors
from .models import Kpi, KpiValue, Priority, ProcessInstance, Service


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class ProcessChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.clause.number} {obj.clause.title}"


class ProcessInstanceForm(TenantFormMixin, ModelForm):
    """Edit a process. Only managers may reassign it; ``version`` guards against lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProcessInstance
        fields = [
            "owner",
            "status",
            "maturity",
            "purpose",
            "procedure_reference",
            "last_review_date",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "maturity": forms.NumberInput(attrs={"min": 0, "max": 5}),
        }
        field_classes = {"owner": OwnerChoiceField}

    def __init__(self, *args, organization, may_assign_owner=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        if may_assign_owner:
            self.fields["owner"].queryset = selectors.members_of(organization)
        else:
            del self.fields["owner"]

    def clean(self):
        data = super().clean()
        if "version" in self._errors:  # a hidden field: say so where the user can see it
            del self._errors["version"]
            self.add_error(None, _("This form is out of date: reload the page and edit again."))
        return data


class KpiForm(ModelForm):
    class Meta:
        model = Kpi
        fields = ["name", "description", "target", "unit", "period", "direction"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.process.kpis.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This process already has a KPI of this name."))
        return name


class KpiValueForm(ModelForm):
    """Record one period's value; a number is required, and one value per period."""

    class Meta:
        model = KpiValue
        fields = ["period_start", "value", "note"]
        widgets = {"note": forms.TextInput}
        help_texts = {"period_start": _("The first day of the period measured.")}

    def __init__(self, *args, kpi, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi

    def clean_period_start(self):
        period_start = self.cleaned_data["period_start"]
        if self.kpi.values.filter(period_start=period_start).exists():
            raise forms.ValidationError(_("A value for this period is already recorded."))
        return period_start


def _sla_field_name(priority: str, kind: str) -> str:
    return f"sla_{priority.lower()}_{kind}"


class ServiceForm(TenantFormMixin, ModelForm):
    """A service with its owner, supporting processes, clauses and SLA targets per priority."""

    class Meta:
        model = Service
        fields = [
            "name",
            "status",
            "description",
            "customers",
            "owner",
            "availability_target",
            "processes",
            "clauses",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "customers": forms.Textarea(attrs={"rows": 2}),
            "processes": forms.SelectMultiple(attrs={"size": 8}),
            "clauses": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {
            "owner": OwnerChoiceField,
            "processes": ProcessChoiceField,
            "clauses": ClauseChoiceField,
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["owner"].queryset = selectors.members_of(organization)
        self.fields["processes"].queryset = ProcessInstance.objects.select_related(
            "clause"
        ).order_by("clause__order")
        self.fields["clauses"].queryset = selectors.primary_clauses()
        existing = {}
        if self.instance.pk:
            existing = {t.priority: t for t in self.instance.sla_targets.all()}
        for priority, label in Priority.choices:
            target = existing.get(priority)
            for kind, text, value in (
                ("response", _("response (minutes)"), target and target.response_minutes),
                ("resolution", _("resolution (minutes)"), target and target.resolution_minutes),
            ):
                self.fields[_sla_field_name(priority, kind)] = forms.IntegerField(
                    label=f"{label}: {text}",
                    required=False,
                    min_value=1,
                    initial=value or None,
                )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.organization.service_set.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A service with this name already exists."))
        return name

    def clean(self):
        data = super().clean()
        targets = {}
        for priority in Priority.values:
            response_name = _sla_field_name(priority, "response")
            resolution_name = _sla_field_name(priority, "resolution")
            if response_name in self.errors or resolution_name in self.errors:
                continue
            response, resolution = data.get(response_name), data.get(resolution_name)
            if response is None and resolution is None:
                continue
            if response is None or resolution is None:
                missing = response_name if response is None else resolution_name
                self.add_error(missing, _("Give both the response and the resolution time."))
            elif resolution < response:
                self.add_error(
                    resolution_name,
                    _("The resolution time cannot be shorter than the response time."),
                )
            else:
                targets[priority] = (response, resolution)
        self.sla_targets = targets
        return data

    def sla_rows(self):
        """The SLA fields by priority, for a compact table in the template."""
        return [
            (
                label,
                self[_sla_field_name(priority, "response")],
                self[_sla_field_name(priority, "resolution")],
            )
            for priority, label in Priority.choices
        ]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]
