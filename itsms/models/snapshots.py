from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel


class ReadinessSnapshot(TenantModel):
    """The organisation's readiness on one day, for the trend on the dashboard."""

    day = models.DateField(_("day"))
    self_assessed = models.PositiveSmallIntegerField(_("self-assessed readiness (%)"))
    evidenced = models.PositiveSmallIntegerField(_("evidenced readiness (%)"), default=0)

    class Meta:
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="one_snapshot_per_day")
        ]

    def __str__(self):
        return f"{self.organization} {self.day}: {self.self_assessed} %"
