"""Filter pieces every FilterSet of the project builds on.

``FilterSet`` is the base of every FilterSet (pages and API alike; the API's
``FilterBackend`` builds its automatic FilterSets on it too). It refuses bad input
before it reaches the database: every number filter is bounded by the column it
compares with (an id is a whole number from 1 to the largest id the database holds; a
year lies in 1–9999), a boolean must read as one, dates and choices are validated by
their form fields. A bad value is a field error: the API answers 400 naming the field,
a page shows it beside the form. Never a 500 (``OverflowError`` from SQLite,
``DataError`` from PostgreSQL). The same bounds are written into the OpenAPI schema,
so the document says what the server accepts.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from drf_spectacular.drainage import set_override

from .forms import Form as ProjectForm

#: The largest value of a 64-bit signed column: ids (``BigAutoField``) and big integers.
ID_MAX = 2**63 - 1
#: What each integer column holds on every supported database (PostgreSQL's ranges are the
#: narrowest; SQLite holds 64 bits everywhere).
INTEGER_RANGES = {
    models.PositiveSmallIntegerField: (0, 2**15 - 1),
    models.PositiveIntegerField: (0, 2**31 - 1),
    models.PositiveBigIntegerField: (0, ID_MAX),
    models.SmallIntegerField: (-(2**15), 2**15 - 1),
    models.BigIntegerField: (-(2**63), ID_MAX),
    models.IntegerField: (-(2**31), 2**31 - 1),
}
#: Date parts a number filter may compare with (``planned_start__year``), and their ranges.
DATE_PART_RANGES = {"year": (1, 9999), "month": (1, 12), "day": (1, 31), "quarter": (1, 4)}
BOOLEAN_WORDS = {"true": True, "1": True, "false": False, "0": False}


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number from 1 to the largest id a database holds."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); empty means "no filter"; anything else is an error."""

    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (True, False, None):
            return value
        text = str(value).strip().lower()
        if text in ("", "unknown"):
            return None
        if text in BOOLEAN_WORDS:
            return BOOLEAN_WORDS[text]
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class StrictBooleanSelect(forms.NullBooleanSelect):
    """Django's yes/no/unknown menu, which hands an unknown word to the field instead of
    reading it as "unknown"."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        known = {"2": True, "3": False, "unknown": None, "": None, None: None}
        if value in known:
            return known[value]
        return value


def _integer_range(model_field) -> tuple[int, int] | None:
    if isinstance(model_field, models.ForeignObjectRel):
        model_field = model_field.field.model._meta.pk
    if isinstance(model_field, models.ForeignKey | models.OneToOneField):
        model_field = model_field.target_field
    if isinstance(model_field, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return 1, ID_MAX
    for field_class, bounds in INTEGER_RANGES.items():
        if isinstance(model_field, field_class):
            return bounds
    return None


def _bound_number(filterset_class, name: str, number_filter) -> None:
    """Give a number filter the form field and bounds of what it compares with."""
    extra = number_filter.extra
    if number_filter.field_class is forms.IntegerField and {"min_value", "max_value"} <= set(extra):
        bounds = extra["min_value"], extra["max_value"]
    elif number_filter.lookup_expr in DATE_PART_RANGES:
        bounds = DATE_PART_RANGES[number_filter.lookup_expr]
    else:
        model = filterset_class._meta.model
        model_field = get_model_field(model, number_filter.field_name) if model else None
        bounds = _integer_range(model_field)
        if bounds is None and isinstance(model_field, models.DecimalField):
            number_filter.extra.update(
                max_digits=model_field.max_digits, decimal_places=model_field.decimal_places
            )
            set_override(number_filter, "field", {"type": "number"})
            return
        if bounds is None and isinstance(model_field, models.FloatField):
            number_filter.field_class = forms.FloatField  # refuses inf and nan
            set_override(number_filter, "field", {"type": "number"})
            return
        if bounds is None:
            raise ImproperlyConfigured(
                f"{filterset_class.__name__}.{name}: a number filter needs a model field to "
                "bound it; declare an IdFilter (or give field_name) instead."
            )
    number_filter.field_class = forms.IntegerField
    extra["min_value"], extra["max_value"] = bounds
    set_override(
        number_filter, "field", {"type": "integer", "minimum": bounds[0], "maximum": bounds[1]}
    )


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the project: bad values are field errors, never a 500.

    A page lists nothing while its filters have an error (and shows the error); the API
    answers 400 before it lists anything.
    """

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def get_form_class(self):
        # The project's form base unless the FilterSet names another: its dates and times
        # render and parse as ISO 8601 whatever the language (``itsms.shared.forms``).
        if self._meta.form is forms.Form:
            fields = {name: filter_.field for name, filter_ in self.filters.items()}
            return type(f"{type(self).__name__}Form", (ProjectForm,), fields)
        return super().get_form_class()

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        # A foreign key is filtered by the id alone: a choice field would look the object up
        # among every organisation's rows (and tell an outsider which ids exist).
        if field.is_relation and lookup_type == "exact" and not field.many_to_many:
            return IdFilter, {}
        return super().filter_for_lookup(field, lookup_type)

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, filter_ in filters.items():
            if isinstance(filter_, django_filters.NumberFilter):
                _bound_number(cls, name, filter_)
            elif isinstance(filter_, django_filters.BooleanFilter):
                filter_.field_class = StrictBooleanField
                filter_.extra.setdefault("widget", StrictBooleanSelect)
        return filters


class FilterBackend(DjangoFilterBackend):
    """django-filter's API backend; FilterSets made from ``filterset_fields`` use our base."""

    filterset_base = FilterSet


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort, its descending choices translated when shown.

    django-filter formats "Title (descending)" once, at import, in English; here each label
    stays lazy, so the sort menu follows the reader's language.
    """

    descending_fmt = _("{} (descending)")

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", format_lazy(self.descending_fmt, label)) for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]
