"""Evidence sampled in an audit, by the exact version that was live when it was sampled.

A finding's evidence is what the auditor sampled; a corrective action's is what the
organisation offered with its answer. Each link keeps the version that was the item's current
one when the link was made: the audit pack hands over those very bytes, however many versions
the item has had since (versions are append-only, so the link can always be honoured).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import TenantModel


class EvidenceLink(TenantModel):
    """What both kinds of link share: the item, the version sampled, who linked it and when."""

    evidence = models.ForeignKey(
        "itsms.Evidence", verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="+"
    )
    sampled_version = models.ForeignKey(
        "itsms.EvidenceVersion",
        verbose_name=_("version sampled"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("sampled"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sampled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def clean(self):
        if (
            self.sampled_version_id
            and self.evidence_id
            and self.sampled_version.evidence_id != self.evidence_id
        ):
            raise ValidationError(
                {"sampled_version": _("The version is not one of this evidence item.")}
            )


class FindingEvidence(EvidenceLink):
    """An evidence item sampled for a finding (``Finding.evidence``)."""

    finding = models.ForeignKey(
        "audits.Finding", on_delete=models.CASCADE, related_name="evidence_links"
    )

    history = HistoricalRecords()

    class Meta:
        # The table Django created for the plain many-to-many before the version was kept.
        db_table = "audits_finding_evidence"
        verbose_name = _("evidence sampled for a finding")
        verbose_name_plural = _("evidence sampled for findings")
        unique_together = [("finding", "evidence")]

    def __str__(self):
        return f"{self.finding_id} · {self.evidence_id} v{self.sampled_version_id}"


class ActionEvidence(EvidenceLink):
    """An evidence item offered with a corrective action (``CorrectiveAction.evidence``)."""

    action = models.ForeignKey(
        "audits.CorrectiveAction",
        db_column="correctiveaction_id",
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )

    history = HistoricalRecords()

    class Meta:
        db_table = "audits_correctiveaction_evidence"
        verbose_name = _("evidence of a corrective action")
        verbose_name_plural = _("evidence of corrective actions")
        unique_together = [("action", "evidence")]

    def __str__(self):
        return f"{self.action_id} · {self.evidence_id} v{self.sampled_version_id}"
