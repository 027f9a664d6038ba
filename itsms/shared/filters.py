"""Filter pieces every FilterSet of the project builds on."""

import django_filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


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
