"""The organisation's settings of its SMS records: the risk scale it scores on and its criteria
for evaluating opportunities for improvement."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import TenantModel

#: The default scale: likelihood and impact 1–5 (the most common risk matrix).
DEFAULT_LEVELS = 5
MAX_LEVELS = 10


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class SmsSettings(TenantModel):
    """One organisation's risk scale: how many levels of likelihood and impact, and where a
    score (likelihood × impact) stops being acceptable and becomes high."""

    likelihood_levels = models.PositiveSmallIntegerField(
        _("likelihood levels"),
        default=DEFAULT_LEVELS,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_LEVELS)],
        help_text=_("Likelihood is scored from 1 to this number."),
    )
    impact_levels = models.PositiveSmallIntegerField(
        _("impact levels"),
        default=DEFAULT_LEVELS,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_LEVELS)],
        help_text=_("Impact is scored from 1 to this number."),
    )
    acceptable_up_to = models.PositiveSmallIntegerField(
        _("acceptable up to"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_("A score up to this is low: it may be accepted without treatment."),
    )
    high_from = models.PositiveSmallIntegerField(
        _("high from"),
        default=15,
        validators=[MinValueValidator(2)],
        help_text=_("A score from this is high."),
    )
    improvement_criteria = models.TextField(
        _("criteria for evaluating improvements"),
        blank=True,
        help_text=_(
            "How an opportunity for improvement is judged (10.1, 10.2): e.g. the effect on the "
            "services and customers, the cost and effort, the risk of not doing it."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("SMS records settings")
        verbose_name_plural = _("SMS records settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="sms_settings_one_per_org"),
            models.CheckConstraint(
                condition=models.Q(acceptable_up_to__lt=models.F("high_from")),
                name="sms_settings_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.likelihood_levels}×{self.impact_levels}"

    @property
    def max_score(self) -> int:
        return self.likelihood_levels * self.impact_levels

    def clean(self):
        errors = {}
        if self.acceptable_up_to and self.high_from and self.acceptable_up_to >= self.high_from:
            errors["high_from"] = _("A high score must be above the acceptable one.")
        if (
            self.high_from
            and self.likelihood_levels
            and self.impact_levels
            and self.high_from > self.max_score
        ):
            errors["high_from"] = _("The highest score on this scale is %(max)s.") % {
                "max": self.max_score
            }
        if errors:
            raise ValidationError(errors)

    def level_of(self, score: int | None) -> str | None:
        """Low, medium or high for a score on this scale (None without a score)."""
        if score is None:
            return None
        if score <= self.acceptable_up_to:
            return RiskLevel.LOW
        if score >= self.high_from:
            return RiskLevel.HIGH
        return RiskLevel.MEDIUM

    def likelihood_range(self) -> range:
        return range(1, self.likelihood_levels + 1)

    def impact_range(self) -> range:
        return range(1, self.impact_levels + 1)
