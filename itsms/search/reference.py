"""Clause headings for the documents of every kind that concerns a clause.

A document about a clause (the clause itself, a process, a finding, evidence linked to it)
carries the clause's number and both headings, so 事件管理 and "incident management" find it
in either language. Such a document's title is stored bilingual ("8.6.1 Incident management ·
事件管理"); results show the reader's language (``localized``) without another query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from itsms.models import Clause
from itsms.models.standards import reference_language
from itsms.standards.reference import PRIMARY

SEPARATOR = " · "


@dataclass(frozen=True)
class Heading:
    pk: int
    number: str
    title_en: str
    title_zh_hans: str
    guidance_en: str
    guidance_zh_hans: str

    @property
    def bilingual(self) -> str:
        """``8.6.1 Incident management · 事件管理`` (what a document's title stores)."""
        titles = [t for t in dict.fromkeys((self.title_en, self.title_zh_hans)) if t]
        return f"{self.number} {SEPARATOR.join(titles)}".strip()


def headings() -> dict[str, Heading]:
    """``{number: Heading}`` of ISO/IEC 20000-1:2018 in tree order (one query; callers keep
    it for the batch they index)."""
    rows = Clause.objects.filter(standard__code=PRIMARY).order_by("order")
    return {
        c.number: Heading(
            c.pk, c.number, c.title_en, c.title_zh_hans, c.guidance_en, c.guidance_zh_hans
        )
        for c in rows.only(
            "pk", "number", "title_en", "title_zh_hans", "guidance_en", "guidance_zh_hans"
        )
    }


def localized(stored_title: str, language_code: str | None = None) -> str:
    """A bilingual stored title in the active language: ``8.6.1 事件管理`` in Chinese."""
    number, _space, titles = stored_title.partition(" ")
    parts = titles.split(SEPARATOR)
    if len(parts) != 2:
        return stored_title
    chosen = (
        parts[1] if reference_language(language_code or get_language()) == "zh_hans" else parts[0]
    )
    return f"{number} {chosen}"


def in_all_languages(*labels) -> str:
    """Translated labels (choices such as "Minor nonconformity") in every language of the
    product, so a search in either language finds them."""
    words = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.extend(str(label) for label in labels if label)
    return " ".join(dict.fromkeys(words))
