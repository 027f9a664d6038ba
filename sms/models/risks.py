"""Risks and opportunities (clause 6.1, and the information-security risks of 8.7.3.2) with
their treatment actions.

A risk is scored on the organisation's scale (``SmsSettings``): likelihood × impact, before
treatment (inherent) and after it (residual). The rules about one risk are its methods.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import TenantModel

from .base import OWNER_NOT_MEMBER, SmsRecord, owner_is_member
from .settings import SmsSettings


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class RiskCategory(models.TextChoices):
    SMS = "sms", _("Service management system")
    SERVICE = "service", _("Service")
    INFORMATION_SECURITY = "information_security", _("Information security")


class Treatment(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REDUCE = "reduce", _("Reduce")
    TRANSFER = "transfer", _("Transfer")
    AVOID = "avoid", _("Avoid")


class TreatmentState(models.TextChoices):
    """Where a risk stands with its treatment (``Risk.treatment_state``)."""

    ACCEPTABLE = "acceptable", _("Acceptable without treatment")
    UNTREATED = "untreated", _("Treatment to decide")
    PLANNED = "planned", _("Treatment decided, residual risk not assessed")
    TREATED = "treated", _("Treated")


class Risk(SmsRecord):
    """A risk or an opportunity of the SMS, a service or information security."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        IN_TREATMENT = "in_treatment", _("In treatment")
        MONITORED = "monitored", _("Monitored")
        CLOSED = "closed", _("Closed")

    CLOSED_STATUSES = (Status.CLOSED,)
    REFERENCE_PREFIX = "R"

    kind = models.CharField(
        _("risk or opportunity"), max_length=12, choices=RiskKind.choices, default=RiskKind.RISK
    )
    category = models.CharField(
        _("category"), max_length=20, choices=RiskCategory.choices, default=RiskCategory.SMS
    )
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1)], help_text=_("Before treatment.")
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1)], help_text=_("Before treatment.")
    )
    treatment = models.CharField(
        _("treatment"), max_length=10, choices=Treatment.choices, blank=True
    )
    treatment_notes = models.TextField(_("treatment notes"), blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("After treatment."),
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("residual impact"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("After treatment."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )

    class Meta(SmsRecord.Meta):
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        constraints = [
            *SmsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, impact__gte=1), name="sms_risk_scores_1_up"
            ),
            models.CheckConstraint(
                condition=models.Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | models.Q(residual_likelihood__gte=1, residual_impact__gte=1),
                name="sms_risk_residual_both_or_none",
            ),
        ]

    # --- rules about one risk -----------------------------------------------------------

    @property
    def inherent_score(self) -> int | None:
        if self.likelihood and self.impact:
            return self.likelihood * self.impact
        return None

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood and self.residual_impact:
            return self.residual_likelihood * self.residual_impact
        return None

    @property
    def current_score(self) -> int | None:
        """The residual score once assessed, else the inherent one."""
        residual = self.residual_score
        return residual if residual is not None else self.inherent_score

    def treatment_state(self, scale: SmsSettings) -> str:
        """Acceptable, to decide, decided but not reassessed, or treated (``TreatmentState``).

        An opportunity, or a risk scored within the acceptable level, needs no treatment; an
        accepted risk is treated by the decision; any other treatment counts once the residual
        risk has been assessed.
        """
        if self.kind == RiskKind.OPPORTUNITY:
            return TreatmentState.TREATED if self.treatment else TreatmentState.ACCEPTABLE
        if not self.treatment:
            if (self.inherent_score or 0) <= scale.acceptable_up_to:
                return TreatmentState.ACCEPTABLE
            return TreatmentState.UNTREATED
        if self.treatment == Treatment.ACCEPT or self.residual_score is not None:
            return TreatmentState.TREATED
        return TreatmentState.PLANNED

    def inherent_level(self, scale: SmsSettings) -> str | None:
        return scale.level_of(self.inherent_score)

    def residual_level(self, scale: SmsSettings) -> str | None:
        return scale.level_of(self.residual_score)

    def scale(self) -> SmsSettings:
        from ..selectors.settings import settings_of

        return settings_of(self.organization)

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        scale = self.scale() if self.organization_id else None
        if scale is not None:
            limits = {
                "likelihood": scale.likelihood_levels,
                "impact": scale.impact_levels,
                "residual_likelihood": scale.likelihood_levels,
                "residual_impact": scale.impact_levels,
            }
            for field, top in limits.items():
                value = getattr(self, field)
                if value is not None and not 1 <= value <= top:
                    errors[field] = _("Score from 1 to %(top)s (the organisation's scale).") % {
                        "top": top
                    }
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            missing = "residual_impact" if self.residual_impact is None else "residual_likelihood"
            errors.setdefault(
                missing, _("Give both the residual likelihood and the residual impact.")
            )
        residual, inherent = self.residual_score, self.inherent_score
        if (
            self.kind == RiskKind.RISK
            and residual is not None
            and inherent is not None
            and residual > inherent
            and "residual_impact" not in errors
        ):
            errors["residual_impact"] = _(
                "The residual risk cannot be higher than the risk before treatment."
            )
        residual_given = self.residual_likelihood is not None or self.residual_impact is not None
        if residual_given and not self.treatment:
            errors.setdefault("treatment", _("Decide the treatment before the residual risk."))
        if errors:
            raise ValidationError(errors)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TreatmentAction(TenantModel):
    """One action of a risk's treatment: who does what by when."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("treatment action")
        verbose_name_plural = _("treatment actions")
        ordering = ["risk", "due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        errors = {}
        if self.risk_id and self.organization_id != self.risk.organization_id:
            errors["risk"] = _("The risk belongs to another organisation.")
        if self.owner_id and not owner_is_member(self.organization_id, self.owner_id):
            errors["owner"] = OWNER_NOT_MEMBER
        if self.status not in ActionStatus.values:
            errors["status"] = _("Choose a status of the list.")
        if self.completed_on and self.status != ActionStatus.DONE:
            errors["completed_on"] = _("Only a done action has a completion date.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

    def is_overdue(self, today: date) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < today)
