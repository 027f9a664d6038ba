"""The base of every register of the SMS records: a tenant row with an owner, a review-by date,
a status, links to clauses, processes, services and evidence, and its history.

A register subclasses ``SmsRecord``, declares its ``Status`` choices (overriding ``status``),
``CLOSED_STATUSES`` (rows no longer reminded) and ``REFERENCE_PREFIX`` ("R" → R-007). The
links are many-to-many fields declared here, so the core reads them as reverse relations
(``Evidence.sms_risks``) without importing this app. ``links`` keeps a readable snapshot of the
links with every save, so the history shows a change of links like any other change (it is
written by the services only; editable so that the history diffs it).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, Membership, TenantModel
from itsms.standards.reference import PRIMARY

OWNER_NOT_MEMBER = _("The owner must be a member of the organisation.")

#: The link fields every register has, in the order forms and pages show them.
LINK_FIELDS = ("clauses", "processes", "services", "evidence")


def owner_is_member(organization_id, user_id) -> bool:
    return Membership.objects.filter(organization_id=organization_id, user_id=user_id).exists()


class SmsRecord(TenantModel):
    """One row of a register of the SMS records."""

    #: Statuses of a register whose rows are done with: not reminded, not "open".
    CLOSED_STATUSES: tuple[str, ...] = ()
    #: The short mark of the register in references (R-007).
    REFERENCE_PREFIX = ""

    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("The owner and the organisation's admins are reminded before this date."),
    )
    status = models.CharField(_("status"), max_length=20)
    clauses = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses"),
        blank=True,
        related_name="sms_%(class)ss",
        limit_choices_to={"standard__code": PRIMARY},
    )
    processes = models.ManyToManyField(
        "processes.ProcessInstance",
        verbose_name=_("processes"),
        blank=True,
        related_name="sms_%(class)ss",
    )
    services = models.ManyToManyField(
        "processes.Service", verbose_name=_("services"), blank=True, related_name="sms_%(class)ss"
    )
    evidence = models.ManyToManyField(
        "itsms.Evidence", verbose_name=_("evidence"), blank=True, related_name="sms_%(class)ss"
    )
    links = models.JSONField(_("links"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="%(app_label)s_%(class)s_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The row's mark in the register, e.g. R-007 (identifiers, the same in every language)."""
        return f"{self.REFERENCE_PREFIX}-{self.number:03d}" if self.number else ""

    def clean(self):
        super().clean()
        errors = {}
        if self.status not in {value for value, _label in self._meta.get_field("status").choices}:
            errors["status"] = _("Choose a status of the list.")
        if self.owner_id and not owner_is_member(self.organization_id, self.owner_id):
            errors["owner"] = OWNER_NOT_MEMBER
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    def is_review_overdue(self, today: date) -> bool:
        """Past its review-by date and still open."""
        return bool(self.review_by and self.review_by < today and not self.is_closed)

    def review_due_within(self, today: date, days: int = 30) -> bool:
        return bool(
            self.review_by
            and not self.is_closed
            and today <= self.review_by
            and (self.review_by - today).days <= days
        )

    @classmethod
    def open_q(cls) -> models.Q:
        return ~models.Q(status__in=cls.CLOSED_STATUSES)
