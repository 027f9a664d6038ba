from django import forms
from django.utils.translation import gettext_lazy as _

from itsms.models import Clause
from itsms.shared.choices import TenantFormMixin
from itsms.shared.forms import Form, ModelForm
from itsms.standards.reference import PRIMARY
from itsms.tenancy.selectors import members_of

from .models import (
    Audit,
    AuditAssignment,
    AuditNote,
    CertificationBody,
    Finding,
    Grade,
    PlanSession,
)
from .models.finding import STAGE1_ONLY


def _clauses():
    return Clause.objects.filter(standard__code=PRIMARY).order_by("order")


class ClauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class CertificationBodyForm(ModelForm):
    class Meta:
        model = CertificationBody
        fields = [
            "name",
            "accreditation",
            "contacts",
            "response_window_days",
            "recertification_lead_days",
            "transition_cutoff",
        ]
        widgets = {
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }


class AuditForm(TenantFormMixin, ModelForm):
    """Plan or edit an audit; every choice is limited to the organisation's own objects."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Audit
        fields = [
            "kind",
            "leads_to_decision",
            "title",
            "certification_body",
            "audit_guide",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "standard_edition",
            "scope_statement",
            "scope_clauses",
            "scope_processes",
            "scope_services",
            "scope_sites",
            "objectives",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "scope_statement": forms.Textarea(attrs={"rows": 2}),
            "scope_sites": forms.Textarea(attrs={"rows": 2}),
            "scope_clauses": forms.SelectMultiple(attrs={"size": 8}),
            "scope_processes": forms.SelectMultiple(attrs={"size": 6}),
            "scope_services": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from processes.models import ProcessInstance, Service

        # The model's clean() checks the body and the guide against the audit's organisation;
        # a new audit must know it before validation, or every choice offered is refused.
        self.instance.organization = organization
        self.fields["certification_body"].queryset = CertificationBody.objects.order_by("name")
        self.fields["audit_guide"].queryset = members_of(organization)
        self.fields["audit_guide"].label_from_instance = lambda u: u.get_full_name()
        self.fields["scope_clauses"].queryset = _clauses()
        self.fields["scope_clauses"].label_from_instance = lambda c: f"{c.number} {c.title}"
        self.fields["scope_processes"].queryset = ProcessInstance.objects.select_related(
            "clause"
        ).order_by("clause__order")
        self.fields["scope_processes"].label_from_instance = lambda p: (
            f"{p.clause.number} {p.clause.title}"
        )
        self.fields["scope_services"].queryset = Service.objects.order_by("name")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class AssignForm(TenantFormMixin, Form):
    user = PersonChoiceField(label=_("Auditor (member)"), queryset=None, required=False)
    email = forms.EmailField(
        label=_("…or invite an external auditor by email"),
        required=False,
        help_text=_("They get a link to this audit only, valid for 14 days."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=AuditAssignment.Role.choices)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members_of(organization)

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("email")):
            raise forms.ValidationError(
                _("Choose a member or give an email address (one of them).")
            )
        return data


class SessionForm(TenantFormMixin, ModelForm):
    class Meta:
        model = PlanSession
        fields = ["starts_at", "ends_at", "clause", "process", "topic", "auditee", "location"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from processes.models import ProcessInstance

        self.fields["clause"].queryset = _clauses()
        self.fields["clause"].label_from_instance = lambda c: f"{c.number} {c.title}"
        self.fields["process"].queryset = ProcessInstance.objects.select_related("clause").order_by(
            "clause__order"
        )
        self.fields["process"].label_from_instance = lambda p: f"{p.clause.number} {p.clause.title}"


class NoteForm(ModelForm):
    class Meta:
        model = AuditNote
        fields = ["kind", "clause", "subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note-%s")  # beside the finding form on the audit page
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = _clauses()
        self.fields["clause"].label_from_instance = lambda c: f"{c.number} {c.title}"


class FindingForm(TenantFormMixin, ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Finding
        fields = ["grade", "clause", "statement", "requirement", "objective_evidence", "evidence"]
        widgets = {
            "evidence": forms.SelectMultiple(attrs={"size": 4}),
            "grade": forms.RadioSelect,
            "statement": forms.Textarea(attrs={"rows": 3}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "objective_evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organization=None, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        from itsms.models import Evidence

        if audit is not None and self.instance.pk is None:
            self.instance.organization, self.instance.audit = audit.organization, audit
        audit = audit or (self.instance.audit if self.instance.audit_id else None)

        self.fields["evidence"].queryset = Evidence.objects.alive()
        self.fields["evidence"].help_text = _("Evidence items sampled (optional).")
        # No empty choice: a finding has a grade. Areas of concern belong to stage 1.
        self.fields["grade"].choices = [
            (value, label)
            for value, label in Grade.choices
            if value not in STAGE1_ONLY or (audit is not None and audit.kind == "stage1")
        ]
        self.fields["clause"].queryset = _clauses()
        self.fields["clause"].label_from_instance = lambda c: f"{c.number} {c.title}"
        self.fields["clause"].help_text = _("Required for a nonconformity.")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class ConcernResolveForm(ModelForm):
    """An area of concern of stage 1 found resolved: when, and how (an empty date opens it
    again)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Finding
        fields = ["resolved_on", "resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 3})}
        labels = {"resolved_on": _("Resolved on"), "resolution": _("How it was resolved")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].help_text = _("Leave empty if it is not resolved.")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class ClosingMeetingForm(Form):
    held_on = forms.DateField(label=_("Closing meeting held on"))


class OpeningMeetingForm(Form):
    held_on = forms.DateField(label=_("Opening meeting held on"))


class PlanNextForm(Form):
    planned_start = forms.DateField(label=_("Planned start"))
    planned_end = forms.DateField(label=_("Planned end"))

    def clean(self):
        data = super().clean()
        if (
            data.get("planned_start")
            and data.get("planned_end")
            and (data["planned_end"] < data["planned_start"])
        ):
            self.add_error("planned_end", _("The end is before the start."))
        return data


class ActionAnswerForm(TenantFormMixin, Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction = forms.CharField(
        label=_("Correction"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    root_cause = forms.CharField(
        label=_("Root-cause analysis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    plan = forms.CharField(
        label=_("Corrective-action plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False)
    target_date = forms.DateField(label=_("Target date"), required=False)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from itsms.models import Evidence

        self.fields["owner"].queryset = members_of(organization)
        self.fields["evidence"].queryset = Evidence.objects.alive()


class ReviewForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
