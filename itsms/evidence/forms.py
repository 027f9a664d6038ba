"""Forms of the evidence pages; every choice is restricted to the organisation."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from itsms.shared.choices import TenantFormMixin

from ..models import Confidentiality, DocumentStatus, EvidenceKind
from ..shared.forms import Form
from . import limits, selectors
from .validation import ACCEPT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files; each is checked by the service, not here."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("Choose at least one file."), code="required")
        return list(files)


def _person_label(user):
    return user.get_full_name() or user.email


class EvidenceMetadataForm(TenantFormMixin, Form):
    """What describes an evidence item: kind, owner, dates, links."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    #: The item's version as loaded (itsms.shared.versioning): a stale save answers 409.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="internal"
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        required=False,
        help_text=_("The audit period it belongs to; not the upload date."),
    )
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        help_text=_("After this date the evidence expires and stops counting."),
    )
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None, required=False)
    clauses = forms.ModelMultipleChoiceField(
        label=_("Clauses"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        people = selectors.members(organization)
        for name in ("owner", "reviewer"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label
            self.fields[name].empty_label = _("— nobody —")
        self.fields["clauses"].queryset = selectors.linkable_clauses()
        self.fields["clauses"].label_from_instance = lambda c: f"{c.number} {c.title}"
        for name in ("processes", "services"):
            queryset = selectors.linkable(organization, name)
            if queryset is None:
                del self.fields[name]
            else:
                self.fields[name].queryset = queryset

    @classmethod
    def initial_from(cls, evidence) -> dict:
        initial = {
            "title": evidence.title,
            "description": evidence.description,
            "kind": evidence.kind,
            "owner": evidence.owner_id,
            "confidentiality": evidence.confidentiality,
            "effective_date": evidence.effective_date,
            "review_by": evidence.review_by,
            "reviewer": evidence.reviewer_id,
            "clauses": [c.pk for c in evidence.clauses.all()],
            "version": evidence.version,
        }
        for name in ("processes", "services"):
            if selectors.linkable_model(name) is not None:
                initial[name] = [o.pk for o in getattr(evidence, name).all()]
        return initial


class EvidenceUploadForm(EvidenceMetadataForm):
    """One or many files, each becoming an evidence item with the same description."""

    files = MultipleFileField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "PDF, Office and OpenDocument documents, images, plain text, CSV or Markdown. "
            "With several files, each becomes its own evidence item titled by its file name."
        ),
    )
    field_order = ["files"]

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["data-max-bytes"] = str(max_bytes)
        self.fields["title"].help_text = _("Leave empty to use the file name.")

    def clean_files(self):
        """All files of one upload together stay within ``EVIDENCE_MAX_UPLOAD_TOTAL_MB``."""
        files = self.cleaned_data["files"]
        total = sum(f.size or 0 for f in files)
        limit = limits.max_total_bytes()
        if len(files) > 1 and total > limit:
            raise forms.ValidationError(
                _(
                    "These %(count)s files add up to %(size)s; one upload may be at most "
                    "%(max)s in all. Upload them in several goes. Nothing was stored."
                ),
                code="total_too_large",
                params={
                    "count": len(files),
                    "size": filesizeformat(total),
                    "max": filesizeformat(limit),
                },
            )
        return files


class VersionUploadForm(Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    change_note = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TransitionForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=DocumentStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class DeleteForm(Form):
    reason = forms.CharField(
        label=_("Why is it deleted?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
