"""Reference data of the SMS records: the documents of 7.5.4 (``documents_7_5_4.json``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@cache
def documents() -> list[dict]:
    """The 7.5.4 documents in their order, as stored in the JSON file."""
    data = json.loads((FOLDER / "documents_7_5_4.json").read_text(encoding="utf-8"))
    return data["documents"]


def load_documents(requirement_model=None, clause_model=None) -> int:
    """Create or update the 7.5.4 requirements (idempotent); returns how many there are.

    The models are passed by migrations (their historical versions); by default the app's.
    """
    if requirement_model is None:
        from itsms.models import Clause

        from ..models import DocumentRequirement

        requirement_model, clause_model = DocumentRequirement, Clause
    clauses = {
        c.number: c
        for c in clause_model.objects.filter(standard__code="iso20000-1-2018").only("id", "number")
    }
    if not clauses:
        return 0  # the clause tree is loaded first (itsms migrations); nothing to key to yet
    for order, row in enumerate(documents(), start=1):
        requirement_model.objects.update_or_create(
            key=row["key"],
            defaults={
                "order": order,
                "item": row.get("item", ""),
                "clause": clauses[row["clause"]],
                "title_en": row["title_en"],
                "title_zh_hans": row["title_zh_hans"],
                "guidance_en": row.get("guidance_en", ""),
                "guidance_zh_hans": row.get("guidance_zh_hans", ""),
            },
        )
    return len(documents())
