"""Each organisation's clause-8 processes with their KPIs, and its service portfolio."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, Membership, Status, TenantModel
from itsms.standards.reference import PRIMARY

from .catalogue import catalogue_choices_q, is_catalogue_clause

#: A process is reviewed at planned intervals; the next review is due this long after the last.
REVIEW_INTERVAL = timedelta(days=365)


#: Implementation status: the gap assessment's, so both speak the same words.
ProcessStatus = Status


def _owner_is_member(organization_id, owner_id) -> bool:
    return Membership.objects.filter(organization_id=organization_id, user_id=owner_id).exists()


OWNER_NOT_MEMBER = _("The owner must be a member of the organisation.")


class ProcessInstance(TenantModel):
    """One organisation's implementation of a clause-8 process of the catalogue."""

    clause = models.ForeignKey(
        Clause,
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="process_instances",
        limit_choices_to=catalogue_choices_q,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_processes",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.NOT_STARTED
    )
    maturity = models.PositiveSmallIntegerField(
        _("maturity"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("0 = none … 5 = optimised."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    procedure_reference = models.CharField(
        _("procedure document"),
        max_length=255,
        blank=True,
        help_text=_("Reference of the documented procedure, e.g. PRC-INC-001 v2."),
    )
    last_review_date = models.DateField(_("last review"), null=True, blank=True)
    # The higher app declares the link; evidence knows nothing of processes (see DESIGN).
    evidence = models.ManyToManyField(
        "itsms.Evidence", verbose_name=_("evidence"), blank=True, related_name="processes"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["clause__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "clause"], name="process_one_per_clause_and_org"
            ),
            models.CheckConstraint(
                condition=models.Q(maturity__gte=0, maturity__lte=5),
                name="process_maturity_0_5",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProcessStatus.values), name="process_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.clause.number} {self.clause.title}"

    def clean(self):
        errors = {}
        if self.clause_id and not is_catalogue_clause(self.clause):
            errors["clause"] = _("%(number)s is not a process of the clause-8 catalogue.") % {
                "number": self.clause.number
            }
        if self.owner_id and not _owner_is_member(self.organization_id, self.owner_id):
            errors["owner"] = OWNER_NOT_MEMBER
        if errors:
            raise ValidationError(errors)

    @property
    def next_review_due(self) -> date | None:
        return self.last_review_date + REVIEW_INTERVAL if self.last_review_date else None

    def is_review_overdue(self, today: date) -> bool:
        due = self.next_review_due
        return bool(due and due < today)


class Kpi(TenantModel):
    """A key performance indicator of a process, with its target."""

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    process = models.ForeignKey(
        ProcessInstance, verbose_name=_("process"), on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_('e.g. "%", "h", "count".')
    )
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.MONTHLY
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["process__clause__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="kpi_name_unique_per_process"),
            models.CheckConstraint(
                condition=models.Q(period__in=["monthly", "quarterly", "yearly"]),
                name="kpi_period_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=["higher", "lower"]), name="kpi_direction_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.process_id and self.organization_id != self.process.organization_id:
            raise ValidationError({"process": _("The process belongs to another organisation.")})

    def format_value(self, value: Decimal) -> str:
        """ "94.5%", "4 h", "12 count": trailing zeros dropped, never "1E+2"."""
        value = Decimal(value)
        if value == value.to_integral_value():
            text = str(value.quantize(Decimal(1)))
        else:
            text = str(value.normalize())
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit == "%" else f"{text} {self.unit}"

    @property
    def target_display(self) -> str:
        return self.format_value(self.target)

    def meets_target(self, value: Decimal | None) -> bool | None:
        """Whether ``value`` meets the target in the KPI's direction (None without a value)."""
        if value is None:
            return None
        if self.direction == self.Direction.LOWER:
            return value <= self.target
        return value >= self.target


class KpiValue(TenantModel):
    """The measured value of a KPI for one period (identified by the period's first day)."""

    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="values"
    )
    period_start = models.DateField(_("period start"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["kpi", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_start"],
                name="kpi_value_one_per_period",
                violation_error_message=_("A value for this period is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.kpi} {self.period_start}: {self.value}"

    def clean(self):
        if self.kpi_id and self.organization_id != self.kpi.organization_id:
            raise ValidationError({"kpi": _("The KPI belongs to another organisation.")})

    @property
    def meets_target(self) -> bool | None:
        return self.kpi.meets_target(self.value)

    @property
    def display(self) -> str:
        return self.kpi.format_value(self.value)


class Service(TenantModel):
    """A service of the organisation's portfolio (pipeline, catalogue or retired)."""

    class Status(models.TextChoices):
        PIPELINE = "pipeline", _("Pipeline")
        CATALOGUE = "catalogue", _("Catalogue")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customers = models.TextField(
        _("customers"), blank=True, help_text=_("Who the service is delivered to.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_services",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PIPELINE,
        help_text=_("Only catalogue services are shown to customers."),
    )
    availability_target = models.DecimalField(
        _("availability target (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    processes = models.ManyToManyField(
        ProcessInstance,
        verbose_name=_("supporting processes"),
        blank=True,
        related_name="services",
    )
    clauses = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses"),
        blank=True,
        related_name="portfolio_services",
        limit_choices_to={"standard__code": PRIMARY},
    )
    evidence = models.ManyToManyField(
        "itsms.Evidence", verbose_name=_("evidence"), blank=True, related_name="services"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="service_name_unique_per_org",
                violation_error_message=_("A service with this name already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pipeline", "catalogue", "retired"]),
                name="service_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(availability_target__isnull=True)
                | models.Q(availability_target__gte=0, availability_target__lte=100),
                name="service_availability_0_100",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.owner_id and not _owner_is_member(self.organization_id, self.owner_id):
            raise ValidationError({"owner": OWNER_NOT_MEMBER})


class Priority(models.TextChoices):
    P1 = "P1", _("P1 — critical")
    P2 = "P2", _("P2 — high")
    P3 = "P3", _("P3 — medium")
    P4 = "P4", _("P4 — low")


class ServiceLevelTarget(TenantModel):
    """The agreed response and resolution times of a service for one priority."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="sla_targets"
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(
        _("response time (minutes)"), validators=[MinValueValidator(1)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution time (minutes)"), validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service level target")
        verbose_name_plural = _("service level targets")
        ordering = ["service", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "priority"], name="sla_target_one_per_priority"
            ),
            models.CheckConstraint(
                condition=models.Q(response_minutes__gte=1)
                & models.Q(resolution_minutes__gte=models.F("response_minutes")),
                name="sla_resolution_not_before_response",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=["P1", "P2", "P3", "P4"]),
                name="sla_priority_valid",
            ),
        ]

    def __str__(self):
        return f"{self.service} {self.priority}"

    def clean(self):
        errors = {}
        if self.service_id and self.organization_id != self.service.organization_id:
            errors["service"] = _("The service belongs to another organisation.")
        if (
            self.response_minutes
            and self.resolution_minutes
            and self.resolution_minutes < self.response_minutes
        ):
            errors["resolution_minutes"] = _(
                "The resolution time cannot be shorter than the response time."
            )
        if errors:
            raise ValidationError(errors)
