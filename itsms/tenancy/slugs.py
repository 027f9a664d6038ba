"""A slug proposed from an organisation's name: "Eastern Harbour Bank" → eastern-harbour-bank,
"东方港银行" → dong-fang-gang-yin-hang (Chinese by its pinyin, with pypinyin's phrase
dictionary so that 银行 reads *yin hang*), free and not reserved ("-2", "-3"… otherwise).

pypinyin is imported only for a name with Chinese characters (its dictionaries take about
55 MB in the process that first needs them).
"""

from __future__ import annotations

import re

from django.utils.text import slugify

from itsms.models import Organization
from itsms.models.tenancy import RESERVED_SLUGS

MAX_LENGTH = 50
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _latin(name: str) -> str:
    if not _HAN.search(name):
        return name
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default"))


def base_slug(name: str) -> str:
    """The name in lower-case ASCII words joined by hyphens (at most 50 characters)."""
    slug = slugify(_latin(name or ""))[:MAX_LENGTH].strip("-")
    return slug or "organisation"


def propose_slug(name: str) -> str:
    """A slug for ``name`` that no organisation has yet (one query)."""
    base = base_slug(name)
    taken = set(
        Organization.objects.filter(slug__startswith=base[:40]).values_list("slug", flat=True)
    ) | set(RESERVED_SLUGS)
    if base not in taken:
        return base
    for n in range(2, 1000):
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
    return base  # the form then says the slug is taken
