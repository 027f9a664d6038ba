"""Evidence as a searchable kind: title, description, file name, the clauses it is linked to
(number and both headings) and the text of its current version (``text.py``).

Deleted evidence is not indexed; who finds which evidence is the evidence policy's
(``Evidence.objects.restrict(user, "view")``, applied by the search selector), as on the
register.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itsms.models import Clause, Evidence
from itsms.search import reference
from itsms.search.registry import Document, SearchKind, register

# A new version saves its item (``current_version``), which refreshes the document; its text,
# extracted later, refreshes it again (``services.version_text_extract``).


def evidence_documents(organization_id: int, ids: list[int] | None):
    items = Evidence.objects.filter(organization_id=organization_id, deleted_at__isnull=True)
    if ids is not None:
        items = items.filter(pk__in=ids)
    items = items.select_related("current_version").prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.only("pk", "number"))
    )
    headings = None
    documents = []
    for item in items.iterator(chunk_size=500):
        numbers = [c.number for c in item.clauses.all()]
        if numbers and headings is None:
            headings = reference.headings()
        version = item.current_version
        body = [
            item.description,
            version.original_name if version else "",
            reference.in_all_languages(item.get_kind_display()),
            *(headings[n].bilingual for n in numbers if n in (headings or {})),
            version.extracted_text if version else "",
        ]
        documents.append(
            Document(
                organization_id=organization_id,
                object_id=item.pk,
                title=item.title,
                body="\n".join(t for t in body if t),
            )
        )
    return documents


def _evidence_of_clauses(clause, pk_set, reverse):
    if not reverse:  # ``evidence.clauses`` changed: that evidence
        return [(clause.organization_id, clause.pk)]
    return list(Evidence.objects.filter(pk__in=pk_set).values_list("organization_id", "pk"))


def register_kinds() -> None:
    register(
        SearchKind(
            key="evidence",
            label=_("Evidence"),
            model=Evidence,
            documents=evidence_documents,
            url=lambda hit: reverse(
                "itsms:evidence_detail",
                kwargs={"org_slug": hit.organization_slug, "pk": hit.object_id},
            ),
            watch={
                Evidence: lambda e, created: [(e.organization_id, e.pk)],
            },
            watch_m2m={Evidence.clauses.through: _evidence_of_clauses},
            order=30,
        )
    )
