"""The clauses as a searchable kind: one document per clause of ISO/IEC 20000-1:2018 in every
organisation, with its number, both headings, our guidance in both languages, and the
organisation's own assessment of it (notes, the other party operating it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itsms.models import Clause, ClauseAssessment, Organization
from itsms.search import reference
from itsms.search.registry import Document, SearchKind, register


def clause_documents(organization_id: int, ids: list[int] | None):
    headings = [h for h in reference.headings().values() if ids is None or h.pk in ids]
    if not headings:
        return []
    assessments = ClauseAssessment.objects.filter(organization_id=organization_id)
    if ids is not None:
        assessments = assessments.filter(clause_id__in=ids)
    own = {
        clause_id: (notes, other_party_name)
        for clause_id, notes, other_party_name in assessments.values_list(
            "clause_id", "notes", "other_party_name"
        )
    }
    return [
        Document(
            organization_id=organization_id,
            object_id=h.pk,
            reference=h.number,
            title=h.bilingual,
            body="\n".join(t for t in (*own.get(h.pk, ()), h.guidance_en, h.guidance_zh_hans) if t),
        )
        for h in headings
    ]


def clause_url(hit) -> str:
    url = reverse("itsms:assessment", kwargs={"org_slug": hit.organization_slug})
    return f"{url}#clause-{hit.reference}"


def register_kinds() -> None:
    register(
        SearchKind(
            key="clause",
            label=_("Clauses"),
            model=Clause,
            documents=clause_documents,
            url=clause_url,
            display_title=lambda hit: reference.localized(hit.title),
            watch={
                ClauseAssessment: lambda a, created: [(a.organization_id, a.clause_id)],
                # every clause of a new organisation
                Organization: lambda o, created: [(o.pk, None)] if created else [],
            },
            order=10,
        )
    )
