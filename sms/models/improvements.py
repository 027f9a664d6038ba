"""The improvement register (clause 10.2, continual improvement): opportunities for improvement
from any source, evaluated against the organisation's criteria (``SmsSettings.
improvement_criteria``, the criteria of 10.2 that replaced the 2011 improvement policy),
decided, implemented and reviewed.

The path of an opportunity: proposed → evaluated → approved (or rejected) → in progress →
implemented → reviewed. What each step needs is a rule of the row (``clean``): an evaluation
before a decision, a decision before the work, the date it was implemented, and the review of
its effect before it is closed.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import SmsRecord


class ImprovementSource(models.TextChoices):
    AUDIT = "audit", _("Audit observation")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    STAFF = "staff", _("Staff suggestion")
    CUSTOMER = "customer", _("Customer")
    INCIDENT = "incident", _("Incident or problem")
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", _("Other")


class Benefit(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Improvement(SmsRecord):
    """One opportunity for improvement and what became of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        EVALUATED = "evaluated", _("Evaluated")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        REVIEWED = "reviewed", _("Reviewed")

    CLOSED_STATUSES = (Status.REJECTED, Status.REVIEWED)
    REFERENCE_PREFIX = "OFI"
    #: Statuses that need an evaluation, a decision, an implementation date, a review.
    EVALUATED_STATUSES = (
        Status.EVALUATED,
        Status.APPROVED,
        Status.REJECTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.REVIEWED,
    )
    DECIDED_STATUSES = (
        Status.APPROVED,
        Status.REJECTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.REVIEWED,
    )
    IMPLEMENTED_STATUSES = (Status.IMPLEMENTED, Status.REVIEWED)

    source = models.CharField(
        _("source"),
        max_length=20,
        choices=ImprovementSource.choices,
        default=ImprovementSource.STAFF,
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=120,
        blank=True,
        help_text=_("Where it came from: an audit's reference, a review's date, a ticket."),
    )
    raised_on = models.DateField(_("raised on"), null=True, blank=True)
    evaluation = models.TextField(
        _("evaluation"),
        blank=True,
        help_text=_("The opportunity judged against the organisation's criteria."),
    )
    benefit = models.CharField(_("benefit"), max_length=10, choices=Benefit.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    review_notes = models.TextField(
        _("review of the effect"),
        blank=True,
        help_text=_("Did the improvement achieve what was expected?"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )

    class Meta(SmsRecord.Meta):
        verbose_name = _("opportunity for improvement")
        verbose_name_plural = _("opportunities for improvement")

    def clean(self):
        super().clean()
        errors = {}
        if self.status in self.EVALUATED_STATUSES and not self.evaluation.strip():
            errors["evaluation"] = _("Evaluate the opportunity against the criteria first.")
        if self.status in self.DECIDED_STATUSES and not self.decision.strip():
            errors["decision"] = _("Record the decision taken.")
        if self.status in self.IMPLEMENTED_STATUSES and not self.implemented_on:
            errors["implemented_on"] = _("Give the date it was implemented.")
        if self.status == self.Status.REVIEWED and not self.review_notes.strip():
            errors["review_notes"] = _("Record the review of its effect before closing it.")
        if self.implemented_on and self.raised_on and self.implemented_on < self.raised_on:
            errors["implemented_on"] = _("It cannot be implemented before it was raised.")
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: date) -> bool:
        """Approved or under way, and past its target date without being implemented."""
        return bool(
            self.target_date
            and self.target_date < today
            and self.status in (self.Status.APPROVED, self.Status.IN_PROGRESS)
        )
