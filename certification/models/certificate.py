from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import TenantModel

from .. import rules


class CertificateEdition(models.TextChoices):
    E2018 = "2018", _("ISO/IEC 20000-1:2018")
    E2011 = "2011", _("ISO/IEC 20000-1:2011")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Certificate(TenantModel):
    """A certificate and its three-year cycle (dates computed in ``certification.rules``)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial certification")
        RECERTIFICATION = "recertification", _("Recertification")
        RESTORATION = "restoration", _("Restoration")

    edition = models.CharField(
        _("edition"),
        max_length=4,
        choices=CertificateEdition.choices,
        default=CertificateEdition.E2018,
    )
    number = models.CharField(_("certificate number"), max_length=100)
    scope = models.TextField(_("scope"))
    certification_body = models.ForeignKey(
        "audits.CertificationBody",
        verbose_name=_("certification body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    decision_date = models.DateField(_("certification decision"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INITIAL)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successor",
    )
    transition_passed = models.BooleanField(
        _("transition audit to 2018 passed"),
        default=False,
        help_text=_("For a 2011-edition certificate."),
    )
    expires_on = models.DateField(_("expires on"), editable=False)
    notes = models.TextField(_("notes"), blank=True)
    # The cycle as ``certification.rules`` computes it, stored so that the reminder scan and
    # the calendars select by date in SQL (refreshed by ``cycle.refresh_cycles`` whenever the
    # certificate, its body or a surveillance / recertification audit changes).
    surveillance_due = models.DateField(_("next surveillance audit due"), null=True, editable=False)
    surveillance_number = models.PositiveSmallIntegerField(null=True, editable=False)
    recertification_audit_due = models.DateField(
        _("recertification audit due"), null=True, editable=False
    )
    cycle_refreshed_at = models.DateTimeField(null=True, editable=False)

    # The stored cycle is derived data, not a change anybody made.
    history = HistoricalRecords(
        excluded_fields=[
            "surveillance_due",
            "surveillance_number",
            "recertification_audit_due",
            "cycle_refreshed_at",
        ]
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-decision_date"]
        indexes = [
            # the reminder scan: due dates in a window, across organisations
            models.Index(fields=["surveillance_due"], name="cert_surveillance_due"),
            models.Index(fields=["recertification_audit_due"], name="cert_recert_due"),
            # calendars and each organisation's next deadline
            models.Index(fields=["organization", "surveillance_due"], name="cert_org_surveillance"),
            models.Index(
                fields=["organization", "recertification_audit_due"], name="cert_org_recert"
            ),
            models.Index(fields=["organization", "expires_on"], name="cert_org_expiry"),
            # 2011-edition certificates still awaiting their transition (few among many)
            models.Index(
                fields=["edition", "transition_passed", "expires_on"], name="cert_2011_pending"
            ),
            # certificates written by bulk inserts, whose cycle the next scan computes
            models.Index(
                fields=["id"],
                condition=models.Q(cycle_refreshed_at__isnull=True),
                name="cert_cycle_not_computed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="certificate_number_unique_per_org"
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.get_edition_display()})"

    def clean(self):
        if self.issue_date and self.decision_date and self.issue_date < self.decision_date:
            raise ValidationError({"issue_date": _("Issued before the decision?")})
        if self.certification_body_id and (
            self.certification_body.organization_id != self.organization_id
        ):
            raise ValidationError(
                {"certification_body": _("Choose a certification body of this organisation.")}
            )

    def compute_expiry(self):
        if self.previous_id and self.previous:
            result = rules.recertified(self.previous.expires_on, self.decision_date)
            self.kind = result.kind
            return result.expires_on
        return rules.expires_on(self.decision_date)

    def save(self, *args, **kwargs):
        self.expires_on = self.compute_expiry()
        self.recertification_audit_due = rules.recertification_due(self.expires_on, self.lead_days)
        super().save(*args, **kwargs)

    @property
    def lead_days(self) -> int | None:
        """The certification body's recertification lead time (None: the default)."""
        body = self.certification_body if self.certification_body_id else None
        return body.recertification_lead_days if body else None

    @property
    def transition_cutoff(self) -> date:
        body = self.certification_body
        return (
            body.transition_cutoff
            if body and body.transition_cutoff
            else rules.default_transition_cutoff()
        )

    @property
    def successor_number(self) -> str | None:
        """The number of the certificate that replaced this one (select_related "successor")."""
        try:
            return self.successor.number
        except Certificate.successor.RelatedObjectDoesNotExist:
            return None

    def validity(self, today: date) -> rules.Validity:
        return rules.validity(
            edition=self.edition,
            status=self.status,
            expires=self.expires_on,
            today=today,
            transition_passed=self.transition_passed,
            transition_cutoff=self.transition_cutoff,
            superseded_by=self.successor_number,
        )

    def surveillance_due_dates(self):
        """The 12- and 24-month limits (the calendar-year rule may make one earlier)."""
        return rules.surveillance_due_dates(self.decision_date)
