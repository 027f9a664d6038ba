"""What an audit pack holds: the evidence versions sampled or linked in the audit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from itsms.models import EvidenceVersion

from ..models import ActionEvidence, Audit, FindingEvidence


@dataclass
class Sampled:
    """One evidence version and every place in the audit it was sampled or linked."""

    version: EvidenceVersion
    #: references of the findings it was sampled for
    findings: list[str] = field(default_factory=list)
    #: references of the findings whose corrective action it was linked to
    actions: list[str] = field(default_factory=list)

    @property
    def evidence(self):
        return self.version.evidence

    @property
    def sampled_in(self) -> list[str]:
        return self.findings + [
            _("%(reference)s (corrective action)") % {"reference": reference}
            for reference in self.actions
        ]


def sampled_versions(audit: Audit) -> list[Sampled]:
    """Every version sampled for the audit's findings or linked to their corrective actions,
    each once, in the order of the findings (two queries)."""
    found: dict[int, Sampled] = {}
    related = ("sampled_version__evidence", "sampled_version__uploaded_by")
    for link in (
        FindingEvidence.objects.filter(finding__audit=audit)
        .select_related("finding", *related)
        .order_by("finding__number", "evidence__title", "pk")
    ):
        entry = found.setdefault(link.sampled_version_id, Sampled(link.sampled_version))
        entry.findings.append(link.finding.reference)
    for link in (
        ActionEvidence.objects.filter(action__finding__audit=audit)
        .select_related("action__finding", *related)
        .order_by("action__finding__number", "evidence__title", "pk")
    ):
        entry = found.setdefault(link.sampled_version_id, Sampled(link.sampled_version))
        entry.actions.append(link.action.finding.reference)
    return list(found.values())


def pack_path(sampled: Sampled) -> str:
    """Where a version goes in the pack: ``evidence/E<item>-v<version>-<file name>``."""
    from itsms.shared.manifests import safe_name

    version = sampled.version
    return f"evidence/E{version.evidence_id}-v{version.number}-{safe_name(version.original_name)}"
