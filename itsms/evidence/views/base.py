"""The base of every evidence page: the organisation's checkpoint, with evidence's policy.

Who reads and changes what is the policy of ``Evidence`` (``itsms.shared.permissions``): every
member and assigned outside auditor reads the live evidence; consultants and admins also the
deleted items (to restore them); a contributor changes, versions and deletes only their own
evidence or evidence linked to their clauses and processes, and never deletes approved evidence.
"""

from __future__ import annotations

from django.urls import reverse

from itsms.models import Evidence
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from .. import selectors
from ..filters import EvidenceFilterSet


class EvidenceMixin(OrganizationMixin):
    """``OrganizationMixin`` for evidence pages."""

    model = Evidence
    capability = Capability.VIEW
    write_capability = Capability.UPLOAD_EVIDENCE

    def may_restore(self) -> bool:
        return self.can(Capability.CHANGE_ORGANIZATION)

    def detail_url(self, evidence):
        return reverse(
            "itsms:evidence_detail", kwargs={"org_slug": self.organization.slug, "pk": evidence.pk}
        )

    def list_url(self):
        return reverse("itsms:evidence_list", kwargs={"org_slug": self.organization.slug})


def filtered_register(view) -> tuple[EvidenceFilterSet, bool]:
    deleted = view.request.GET.get("deleted") == "1" and view.may_restore()
    base = selectors.evidence_register(view.scoped(Evidence), deleted=deleted)
    filterset = EvidenceFilterSet(view.request.GET or None, queryset=base)
    return filterset, deleted
