"""Choice labels looked up once per language.

Django's ``get_FOO_display`` rebuilds the choices dictionary and translates every lazy label
on each call; a list of 50 rows or a report of 600 findings calls it thousands of times.
The models below override it with this table, built once per (choices, language)."""

from functools import cache

from django.utils.translation import get_language


@cache
def _table(choices, language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def label(choices, value) -> str:
    return _table(choices, get_language()).get(value, value)
