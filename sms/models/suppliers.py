"""Suppliers and agreements (clauses 8.3.3 and 8.3.4), and the performance reviews held.

The list of suppliers is the list of the "other parties" of 8.2.3 that the gap assessment
already names (``itsms.models.OtherParty``): external suppliers, internal suppliers and
customers acting as suppliers. A clause assessment "operated by" a party can point at a
supplier of the list (``SupplierClause``); its own text fields stay as they were, so existing
assessments read as before.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import OtherParty, TenantModel

from .base import SmsRecord


class SupplierKind(models.TextChoices):
    """The three kinds of other party of 8.2.3, with the gap assessment's values."""

    EXTERNAL = OtherParty.EXTERNAL_SUPPLIER.value, OtherParty.EXTERNAL_SUPPLIER.label
    INTERNAL = OtherParty.INTERNAL_SUPPLIER.value, OtherParty.INTERNAL_SUPPLIER.label
    CUSTOMER = OtherParty.CUSTOMER.value, OtherParty.CUSTOMER.label


class Supplier(SmsRecord):
    """An external supplier, an internal supplier or a customer acting as a supplier."""

    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", _("Prospective")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    CLOSED_STATUSES = (Status.INACTIVE,)
    REFERENCE_PREFIX = "SUP"

    title = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SupplierKind.choices)
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("Who to call, and how: names, email, phone.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta(SmsRecord.Meta):
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["title"]

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.kind not in SupplierKind.values:
            errors["kind"] = _("Choose a kind of the list.")
        if errors:
            raise ValidationError(errors)


class SupplierClause(TenantModel):
    """A clause assessment operated by a supplier of the list (one supplier per clause)."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="operations"
    )
    assessment = models.OneToOneField(
        "itsms.ClauseAssessment",
        verbose_name=_("clause assessment"),
        on_delete=models.CASCADE,
        related_name="sms_supplier_link",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause operated by a supplier")
        verbose_name_plural = _("clauses operated by suppliers")
        ordering = ["assessment__clause__order"]

    def __str__(self):
        return f"{self.assessment.clause.number} · {self.supplier.title}"

    def clean(self):
        errors = {}
        if self.supplier_id and self.supplier.organization_id != self.organization_id:
            errors["supplier"] = _("The supplier belongs to another organisation.")
        if self.assessment_id and self.assessment.organization_id != self.organization_id:
            errors["assessment"] = _("The clause assessment belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class AgreementKind(models.TextChoices):
    SLA = "sla", _("Service level agreement (SLA)")
    CONTRACT = "contract", _("Contract")
    OLA = "ola", _("Operational level agreement (OLA)")
    INTERNAL = "internal", _("Internal agreement")


#: Which party an agreement of each kind is with (8.3.3, 8.3.4.1, 8.3.4.2).
AGREEMENT_PARTIES = {
    AgreementKind.SLA: (),  # with a customer
    AgreementKind.CONTRACT: (SupplierKind.EXTERNAL,),
    AgreementKind.OLA: (SupplierKind.INTERNAL, SupplierKind.CUSTOMER),
    AgreementKind.INTERNAL: (SupplierKind.INTERNAL, SupplierKind.CUSTOMER),
}


class Agreement(SmsRecord):
    """An SLA with a customer, a contract with an external supplier, or an agreement with an
    internal supplier or a customer acting as a supplier."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    CLOSED_STATUSES = (Status.EXPIRED, Status.TERMINATED)
    REFERENCE_PREFIX = "AGR"

    kind = models.CharField(_("kind"), max_length=10, choices=AgreementKind.choices)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    customer = models.CharField(
        _("customer"), max_length=200, blank=True, help_text=_("Who an SLA is agreed with.")
    )
    agreement_number = models.CharField(_("agreement number"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    targets = models.TextField(
        _("targets"), blank=True, help_text=_("The agreed service levels, one per line.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta(SmsRecord.Meta):
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.kind not in AgreementKind.values:
            errors["kind"] = _("Choose a kind of the list.")
        else:
            parties = AGREEMENT_PARTIES[self.kind]
            if self.supplier_id and self.supplier.organization_id != self.organization_id:
                errors["supplier"] = _("The supplier belongs to another organisation.")
            elif not parties and self.supplier_id:
                errors["supplier"] = _("An SLA is agreed with a customer, not with a supplier.")
            elif parties and not self.supplier_id:
                errors["supplier"] = _("Choose the supplier this agreement is with.")
            elif parties and self.supplier.kind not in parties:
                errors["supplier"] = _("A %(kind)s is agreed with: %(parties)s.") % {
                    "kind": AgreementKind(self.kind).label,
                    "parties": ", ".join(str(SupplierKind(p).label) for p in parties),
                }
            if not parties and not self.customer.strip():
                errors["customer"] = _("Name the customer the SLA is agreed with.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("An agreement cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def party(self) -> str:
        return self.supplier.title if self.supplier_id else self.customer

    def has_ended(self, today: date) -> bool:
        return bool(self.ends_on and self.ends_on < today)


class Rating(models.IntegerChoices):
    FAILS = 1, _("1 — does not meet the agreement")
    PARTLY = 2, _("2 — partly meets the agreement")
    MEETS = 3, _("3 — meets the agreement")
    GOOD = 4, _("4 — meets it well")
    EXCEEDS = 5, _("5 — exceeds the agreement")


class PerformanceReview(TenantModel):
    """A review of the performance against an agreement: when, how it went, what follows."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reviews"
    )
    held_on = models.DateField(_("held on"))
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        choices=Rating.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")
        ordering = ["agreement", "-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="sms_review_rating_1_5"
            )
        ]

    def __str__(self):
        return f"{self.agreement.reference} {self.held_on}"

    def clean(self):
        if self.agreement_id and self.agreement.organization_id != self.organization_id:
            raise ValidationError(
                {"agreement": _("The agreement belongs to another organisation.")}
            )
