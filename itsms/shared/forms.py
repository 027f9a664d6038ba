"""The base of every form of the project: what a form renders comes back unchanged.

- Dates and times travel as ISO 8601, in any language. A browser's ``<input type="date">``
  takes and sends ``2026-11-22`` and nothing else; given the language's input format
  (``2026/11/22`` in Chinese) it shows an empty field, and the next save clears the date. So
  every date and datetime field of every form renders and parses ISO values whatever the
  active language, through one widget of each kind; what a person *reads* (lists, history,
  PDFs) still follows the language.
- A browser sends a textarea's lines ending in CRLF: they are stored as they were (LF), so a
  text saved unchanged is unchanged.

Every form of the project subclasses :class:`Form` or :class:`ModelForm` (or mixes in
:class:`RoundTripMixin`): a date or datetime field then gets the ISO widget and ISO parsing
without being declared with it, including fields a subclass adds in its ``__init__``.
``tests/test_forms_iso_dates.py`` fails when a form of the project is not built on them, and
``tests/test_forms_round_trip.py`` submits every form as its page renders it.

The one error-to-form helper of the product lives here too: every page that calls a service
reports its refusal through ``add_errors`` (a form) or ``error_text`` (a message).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.widgets import DateTimeBaseInput

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_MINUTES = "%Y-%m-%dT%H:%M"
ISO_DATETIME_SECONDS = "%Y-%m-%dT%H:%M:%S"

#: What the fields accept: ISO only, so a value never depends on the language of the page.
DATE_INPUT_FORMATS = [ISO_DATE]
DATETIME_INPUT_FORMATS = [
    ISO_DATETIME_SECONDS,
    ISO_DATETIME_MINUTES,
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    ISO_DATE,
]


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` with the value as ``YYYY-MM-DD`` in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs, format=ISO_DATE)


class IsoDateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with ``YYYY-MM-DDTHH:MM`` (seconds when there are any)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs, format=ISO_DATETIME_MINUTES)

    def format_value(self, value):
        if hasattr(value, "second") and value.second:
            return value.strftime(ISO_DATETIME_SECONDS)
        return super().format_value(value)


def iso_field(field: forms.Field) -> forms.Field:
    """Give a date or datetime field the ISO widget and ISO parsing (other fields unchanged).

    A hidden or custom widget that is not a date input is left alone (it renders ``str(date)``,
    which is ISO already)."""
    if isinstance(field, forms.DateTimeField):
        widget_class, formats = IsoDateTimeInput, DATETIME_INPUT_FORMATS
    elif isinstance(field, forms.DateField):
        widget_class, formats = IsoDateInput, DATE_INPUT_FORMATS
    else:
        return field
    field.input_formats = formats
    old = field.widget
    if isinstance(old, widget_class) or not isinstance(old, DateTimeBaseInput):
        return field
    widget = widget_class(attrs=old.attrs)
    widget.is_required = old.is_required
    widget.is_localized = old.is_localized
    field.widget = widget
    return field


def _lf(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class RoundTripMixin:
    """ISO dates and times, and LF line endings, for every field of the form (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data:
            data = self.data.copy()
            if hasattr(data, "setlist"):
                for key in list(data):
                    data.setlist(key, [_lf(v) for v in data.getlist(key)])
            else:
                data = {key: _lf(value) for key, value in data.items()}
            self.data = data
        for field in self.fields.values():
            iso_field(field)

    def __getitem__(self, name):
        # Rendering and cleaning both go through the bound field: a field added after
        # ``__init__`` (a subclass's own) is converted here, before it is first used.
        field = self.fields.get(name)
        if field is not None:
            iso_field(field)
        return super().__getitem__(name)


class Form(RoundTripMixin, forms.Form):
    """The base of the project's plain forms."""


class ModelForm(RoundTripMixin, forms.ModelForm):
    """The base of the project's model forms."""


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has the field,
    the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        key = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(key, messages)


def error_text(exc: ValidationError) -> str:
    """A ValidationError (or a form's errors) as one line for a message."""
    if hasattr(exc, "message_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


def form_errors_text(form) -> str:
    """A form's errors as one line for a message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
