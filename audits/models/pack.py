"""The audit pack: one audit's report, plan, findings workbook and every evidence version
sampled, with a signed manifest, for the certification body (``audits/pack/``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itsms.models.exports import ExportJob, ExportStatus

from .audit import Audit

PackStatus = ExportStatus


class AuditPack(ExportJob):
    """One build of an audit's pack, from the request to the stored ZIP."""

    download_prefix = "audit-pack"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="packs")
    evidence_count = models.PositiveIntegerField(_("evidence files"), default=0)
    failed_count = models.PositiveIntegerField(_("files left out"), default=0)

    class Meta(ExportJob.Meta):
        verbose_name = _("audit pack")
        verbose_name_plural = _("audit packs")
        constraints = [
            models.UniqueConstraint(
                fields=["audit"],
                condition=models.Q(status__in=["queued", "building"]),
                name="one_audit_pack_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="audit_pack_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.audit} · {self.requested_at:%Y-%m-%d %H:%M}"

    def download_parts(self) -> list[str]:
        return [self.download_prefix, self.organization.slug, self.audit.reference]
