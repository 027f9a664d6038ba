from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .standards import Clause
from .tenancy import Membership, TenantModel


class Status(models.TextChoices):
    """Implementation status of a requirement clause. There is deliberately no "not applicable":
    ISO/IEC 20000-1:2018 clause 1.2 allows no exclusion of any requirement in clauses 4–10."""

    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    PARTIAL = "partial", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")


class OtherParty(models.TextChoices):
    """Who operates the clause's activities when not the organisation itself (clause 8.2.3)."""

    NONE = "", _("The organisation itself")
    EXTERNAL_SUPPLIER = "external_supplier", _("External supplier")
    INTERNAL_SUPPLIER = "internal_supplier", _("Internal supplier")
    CUSTOMER = "customer", _("Customer acting as a supplier")


NO_EXCLUSION_MESSAGE = _(
    "ISO/IEC 20000-1:2018 allows no exclusion: every requirement of clauses 4–10 applies "
    "(clause 1.2). A clause operated by another party still counts — record that party instead."
)


class GapAssessment(TenantModel):
    """The organisation's gap assessment: started once, then kept up to date clause by clause."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gap assessment")
        verbose_name_plural = _("gap assessments")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_gap_assessment_per_org")
        ]

    def __str__(self):
        return str(self.organization)


class ClauseAssessment(TenantModel):
    """The assessment of one requirement clause (a leaf of the 2018 tree) in one organisation."""

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    maturity = models.PositiveSmallIntegerField(
        _("maturity"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("0 = none … 5 = optimised."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clause_assessments",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    other_party = models.CharField(
        _("operated by"), max_length=20, choices=OtherParty.choices, blank=True, default=""
    )
    other_party_name = models.CharField(_("name of the other party"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "updated_by"])

    class Meta:
        verbose_name = _("clause assessment")
        verbose_name_plural = _("clause assessments")
        ordering = ["clause__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "clause"], name="one_assessment_per_clause_and_org"
            ),
            models.CheckConstraint(
                condition=models.Q(maturity__gte=0, maturity__lte=5), name="assessment_maturity_0_5"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="assessment_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.clause.number} · {self.get_status_display()}"

    def clean(self):
        errors = {}
        if self.clause_id and self.clause.standard.code != "iso20000-1-2018":
            errors["clause"] = _("Only clauses of ISO/IEC 20000-1:2018 are assessed.")
        elif self.clause_id and self.clause.children.exists():
            errors["clause"] = _(
                "%(number)s is a heading: assess its sub-clauses; its score is their roll-up."
            ) % {"number": self.clause.number}
        if (
            self.owner_id
            and self.organization_id
            and not Membership.objects.filter(
                organization_id=self.organization_id, user_id=self.owner_id
            ).exists()
        ):
            errors["owner"] = _("The owner must be a member of the organisation.")
        if self.other_party_name and not self.other_party:
            errors["other_party"] = _("Choose who the other party is.")
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today):
        return bool(
            self.target_date and self.target_date < today and self.status != Status.IMPLEMENTED
        )
