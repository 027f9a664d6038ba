"""Service management objectives (clause 6.2) and the plan to achieve each (6.2.2).

An objective is measured either by a KPI of a process — its latest value is the objective's
current value — or by a value the owner records. Met or not met is a rule of the objective.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import SmsRecord


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Objective(SmsRecord):
    """A measurable service management objective with its plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    CLOSED_STATUSES = (Status.ACHIEVED, Status.NOT_ACHIEVED, Status.WITHDRAWN)
    REFERENCE_PREFIX = "OBJ"

    measure = models.TextField(
        _("measure"), blank=True, help_text=_("How achievement is measured.")
    )
    kpi = models.ForeignKey(
        "processes.Kpi",
        verbose_name=_("KPI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_objectives",
        help_text=_("A KPI of a process: its latest value is the objective's current value."),
    )
    target = models.DecimalField(
        _("target"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Left empty with a KPI: the KPI's target."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    current_value = models.DecimalField(
        _("current value"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Recorded by hand when no KPI measures the objective."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    plan_what = models.TextField(_("what will be done"), blank=True)
    plan_resources = models.TextField(_("resources required"), blank=True)
    plan_responsible = models.TextField(_("who is responsible"), blank=True)
    plan_when = models.TextField(_("when it will be completed"), blank=True)
    plan_evaluation = models.TextField(_("how results are evaluated"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta(SmsRecord.Meta):
        verbose_name = _("service management objective")
        verbose_name_plural = _("service management objectives")

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.kpi_id and self.kpi.organization_id != self.organization_id:
            errors["kpi"] = _("The KPI belongs to another organisation.")
        if self.kpi_id and self.current_value is not None:
            errors["current_value"] = _(
                "The KPI measures this objective: its latest value is the current value."
            )
        if not self.kpi_id and self.target is None and self.status != self.Status.WITHDRAWN:
            errors.setdefault("target", _("Set a target, or choose a KPI that has one."))
        if errors:
            raise ValidationError(errors)

    # --- rules about one objective --------------------------------------------------------

    @property
    def effective_target(self) -> Decimal | None:
        if self.target is not None:
            return self.target
        return self.kpi.target if self.kpi_id else None

    @property
    def effective_direction(self) -> str:
        return self.kpi.direction if self.kpi_id else self.direction

    @property
    def effective_direction_label(self) -> str:
        return Direction(self.effective_direction).label

    @property
    def effective_unit(self) -> str:
        return self.unit or (self.kpi.unit if self.kpi_id else "")

    def measured_value(self, latest_kpi_value: Decimal | None = None) -> Decimal | None:
        """The current value: the KPI's latest (passed in, read by the selector), else the
        value recorded by hand."""
        if self.kpi_id:
            return latest_kpi_value
        return self.current_value

    def is_met(self, value: Decimal | None) -> bool | None:
        """Whether ``value`` meets the target in the objective's direction (None: unknown)."""
        target = self.effective_target
        if value is None or target is None:
            return None
        if self.effective_direction == Direction.LOWER:
            return value <= target
        return value >= target

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        value = Decimal(value)
        text = (
            str(value.quantize(Decimal(1)))
            if value == value.to_integral_value()
            else str(value.normalize())
        )
        unit = self.effective_unit
        if not unit:
            return text
        return f"{text}{unit}" if unit == "%" else f"{text} {unit}"

    @property
    def target_display(self) -> str:
        return self.format_value(self.effective_target)
