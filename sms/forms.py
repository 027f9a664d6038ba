"""Forms of the SMS records. Every choice of a related row is the organisation's own; the
version the editor loaded travels in a hidden field (a stale one answers 409).

A register's form subclasses ``RecordForm`` and lists its ``fieldsets`` (legend, fields), so
one template lays out every register.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.shared.choices import TenantFormMixin

from .models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    SmsSettings,
    Supplier,
    TreatmentAction,
)
from .selectors import records as rs
from .selectors.settings import settings_of

STALE_FORM = _("This form is out of date: reload the page and edit again.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002  (Django's name)
        super().__init__(attrs, format=format)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ClausesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class ProcessesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.clause.number} {obj.clause.title}"


class EvidenceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} · {obj.get_status_display()}"


def _multi(rows=8):
    return forms.SelectMultiple(attrs={"size": rows})


class VersionedForm(forms.ModelForm):
    """A model form carrying the version its editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        if "version" in self._errors:  # hidden: say so where the user can see it
            del self._errors["version"]
            self.add_error(None, STALE_FORM)
        return data

    def service_fields(self, allowed) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in allowed}


class RecordForm(TenantFormMixin, VersionedForm):
    """What every register's form has: owner, review-by date, status and the links."""

    clauses = ClausesField(label=_("Clauses"), queryset=None, required=False, widget=_multi())
    processes = ProcessesField(label=_("Processes"), queryset=None, required=False, widget=_multi())
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=None, required=False, widget=_multi(5)
    )
    evidence = EvidenceField(label=_("Evidence"), queryset=None, required=False, widget=_multi())

    link_fields = ("clauses", "processes", "services", "evidence")
    fieldsets: list[tuple[str, list[str]]] = []
    #: fields laid out across the whole row
    wide_fields = ("title",)

    def __init__(self, *args, organization, may_reassign=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        if "owner" in self.fields:
            if may_reassign:
                field = self.fields["owner"]
                self.fields["owner"] = OwnerChoiceField(
                    label=field.label,
                    queryset=rs.members_of(organization),
                    required=False,
                    empty_label=_("— no owner —"),
                )
            else:
                del self.fields["owner"]
        self.fields["clauses"].queryset = rs.primary_clauses()
        self.fields["processes"].queryset = rs.linkable_processes(organization)
        self.fields["services"].queryset = rs.linkable_services(organization)
        self.fields["evidence"].queryset = rs.linkable_evidence(organization)
        if self.instance.pk and not self.is_bound:
            for name in self.link_fields:
                self.initial[name] = list(getattr(self.instance, name).values_list("pk", flat=True))
        for name in ("review_by", "due_date", "starts_on", "ends_on"):
            if name in self.fields:
                self.fields[name].widget = DateInput()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3

    def links(self) -> dict:
        return {name: self.cleaned_data.get(name) or [] for name in self.link_fields}

    def layout(self):
        """[(legend, [bound fields])] of the fieldsets, the links last."""
        shown = []
        for legend, names in [*self.fieldsets, (_("Links"), list(self.link_fields))]:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                shown.append((legend, fields))
        return shown


def _score_choices(top: int):
    return [("", "—"), *[(i, str(i)) for i in range(1, top + 1)]]


class RiskForm(RecordForm):
    fieldsets = [
        (
            _("Risk or opportunity"),
            ["kind", "category", "title", "description", "cause", "consequence"],
        ),
        (_("Before treatment"), ["likelihood", "impact"]),
        (_("Treatment"), ["treatment", "treatment_notes"]),
        (_("After treatment"), ["residual_likelihood", "residual_impact"]),
        (_("Ownership"), ["owner", "status", "review_by"]),
    ]

    class Meta:
        model = Risk
        fields = [
            "kind",
            "category",
            "title",
            "description",
            "cause",
            "consequence",
            "likelihood",
            "impact",
            "treatment",
            "treatment_notes",
            "residual_likelihood",
            "residual_impact",
            "owner",
            "status",
            "review_by",
        ]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        scale = settings_of(organization)
        for name, top, required in (
            ("likelihood", scale.likelihood_levels, True),
            ("impact", scale.impact_levels, True),
            ("residual_likelihood", scale.likelihood_levels, False),
            ("residual_impact", scale.impact_levels, False),
        ):
            old = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=old.label,
                choices=_score_choices(top),
                coerce=int,
                empty_value=None,
                required=required,
            )
        self.fields["treatment"].help_text = _(
            "Accept: keep the risk as it is. Reduce: lower its likelihood or impact. Transfer: "
            "share it (insurance, a supplier). Avoid: stop what causes it."
        )


class TreatmentActionForm(VersionedForm):
    class Meta:
        model = TreatmentAction
        fields = ["description", "owner", "due_date", "status", "completed_on"]
        widgets = {"description": forms.TextInput}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OwnerChoiceField(
            label=_("Owner"),
            queryset=rs.members_of(organization),
            required=False,
            empty_label=_("— no owner —"),
        )
        self.fields["due_date"].widget = DateInput()
        self.fields["completed_on"].widget = DateInput()
        self.fields["completed_on"].help_text = _("Today when left empty on a done action.")


class ObjectiveForm(RecordForm, TenantFormMixin):
    fieldsets = [
        (
            _("Objective"),
            [
                "title",
                "description",
                "measure",
                "kpi",
                "target",
                "unit",
                "direction",
                "current_value",
                "due_date",
            ],
        ),
        (
            _("Plan to achieve it (6.2.2)"),
            ["plan_what", "plan_resources", "plan_responsible", "plan_when", "plan_evaluation"],
        ),
        (_("Ownership"), ["owner", "status", "review_by"]),
    ]

    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "measure",
            "kpi",
            "target",
            "unit",
            "direction",
            "current_value",
            "due_date",
            "plan_what",
            "plan_resources",
            "plan_responsible",
            "plan_when",
            "plan_evaluation",
            "owner",
            "status",
            "review_by",
        ]
        labels = {"title": _("Objective")}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        from processes.models import Kpi

        field = self.fields["kpi"]
        field.queryset = (
            Kpi.objects.filter(organization=organization)
            .select_related("process__clause")
            .order_by("process__clause__order", "name")
        )
        field.label_from_instance = lambda k: f"{k.process.clause.number} · {k.name}"
        field.empty_label = _("— no KPI: the value is recorded by hand —")


class SupplierForm(RecordForm):
    fieldsets = [
        (_("Supplier"), ["title", "kind", "description", "contact"]),
        (_("Ownership"), ["owner", "status", "review_by"]),
    ]

    class Meta:
        model = Supplier
        fields = ["title", "kind", "description", "contact", "owner", "status", "review_by"]
        labels = {"description": _("What it supplies")}


class SupplierClausesForm(forms.Form):
    """The requirement clauses a supplier operates (the assessment's "operated by")."""

    assessments = forms.ModelMultipleChoiceField(
        label=_("Choose the requirement clauses"), queryset=None, required=False, widget=_multi(14)
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors.suppliers import assessments_of

        field = self.fields["assessments"]
        field.queryset = assessments_of(organization)
        field.label_from_instance = lambda a: f"{a.clause.number} {a.clause.title}"


class AgreementForm(RecordForm, TenantFormMixin):
    fieldsets = [
        (
            _("Agreement"),
            [
                "title",
                "kind",
                "supplier",
                "customer",
                "agreement_number",
                "starts_on",
                "ends_on",
                "targets",
                "description",
            ],
        ),
        (_("Ownership"), ["owner", "status", "review_by"]),
    ]

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "supplier",
            "customer",
            "agreement_number",
            "starts_on",
            "ends_on",
            "targets",
            "description",
            "owner",
            "status",
            "review_by",
        ]
        labels = {"review_by": _("Next review")}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        field = self.fields["supplier"]
        field.queryset = Supplier.objects.filter(organization=organization).order_by("title")
        field.label_from_instance = lambda s: f"{s.title} · {s.get_kind_display()}"
        field.empty_label = _("— none (an SLA with a customer) —")
        self.fields["services"].label = _("Services it supports")


class PerformanceReviewForm(forms.ModelForm):
    next_review_by = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DateInput(),
        help_text=_("Sets the agreement's next review date."),
    )

    class Meta:
        model = PerformanceReview
        fields = ["held_on", "rating", "notes", "actions"]
        widgets = {
            "held_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 2}),
        }


class ChecklistItemForm(VersionedForm):
    evidence = EvidenceField(
        label=_("Evidence that is this document"),
        queryset=None,
        required=False,
        widget=_multi(10),
        help_text=_(
            "The document counts once one of these is approved and not past its review-by date."
        ),
    )

    class Meta:
        model = DocumentChecklistItem
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = rs.linkable_evidence(organization)
        if self.instance.pk and not self.is_bound:
            self.initial["evidence"] = list(self.instance.evidence.values_list("pk", flat=True))


class ImprovementForm(RecordForm):
    fieldsets = [
        (
            _("Opportunity for improvement"),
            ["title", "description", "source", "source_reference", "raised_on"],
        ),
        (_("Evaluation and decision"), ["evaluation", "benefit", "decision", "decided_on"]),
        (
            _("Implementation and review"),
            ["target_date", "implemented_on", "review_notes", "reviewed_on"],
        ),
        (_("Ownership"), ["owner", "status", "review_by"]),
    ]
    wide_fields = ("title", "evaluation", "decision", "review_notes")

    class Meta:
        model = Improvement
        fields = [
            "title",
            "description",
            "source",
            "source_reference",
            "raised_on",
            "evaluation",
            "benefit",
            "decision",
            "decided_on",
            "target_date",
            "implemented_on",
            "review_notes",
            "reviewed_on",
            "owner",
            "status",
            "review_by",
        ]
        labels = {"title": _("Opportunity for improvement")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("raised_on", "decided_on", "target_date", "implemented_on", "reviewed_on"):
            self.fields[name].widget = DateInput()
        criteria = settings_of(self.organization).improvement_criteria
        if criteria:
            self.fields["evaluation"].help_text = _("The organisation's criteria: %(c)s") % {
                "c": criteria
            }


class SettingsForm(VersionedForm):
    class Meta:
        model = SmsSettings
        fields = [
            "likelihood_levels",
            "impact_levels",
            "acceptable_up_to",
            "high_from",
            "improvement_criteria",
        ]
        widgets = {"improvement_criteria": forms.Textarea(attrs={"rows": 4})}
