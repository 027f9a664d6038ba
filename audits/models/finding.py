from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, TenantModel

from .audit import Audit


class AuditNote(TenantModel):
    """A working note taken during the audit: a sample, an interview, evidence reviewed."""

    class Kind(models.TextChoices):
        SAMPLE = "sample", _("Sample taken")
        INTERVIEW = "interview", _("Interview")
        EVIDENCE = "evidence", _("Evidence reviewed")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200, help_text=_("Who or what"))
    text = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit note")
        verbose_name_plural = _("audit notes")
        ordering = ["recorded_at"]

    def __str__(self):
        return self.subject


class Grade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OFI = "ofi", _("Opportunity for improvement")


NONCONFORMITIES = (Grade.MAJOR, Grade.MINOR)


class Finding(TenantModel):
    """What the auditor found, graded, against a clause, with its objective evidence."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField(_("number"))
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statement = models.TextField(_("statement"))
    requirement = models.TextField(_("requirement not met"), blank=True)
    objective_evidence = models.TextField(_("objective evidence"), blank=True)
    evidence = models.ManyToManyField(
        "itsms.Evidence", verbose_name=_("evidence items"), blank=True, related_name="findings"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_per_audit"),
            models.CheckConstraint(
                condition=models.Q(grade__in=Grade.values), name="finding_grade_valid"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.get_grade_display()}"

    @property
    def reference(self):
        return f"F{self.number}"

    @property
    def is_nonconformity(self):
        return self.grade in NONCONFORMITIES

    def clean(self):
        if self.is_nonconformity and not self.clause_id:
            raise ValidationError({"clause": _("A nonconformity names the clause not met.")})
        if self.clause_id and self.clause.standard.code != "iso20000-1-2018":
            raise ValidationError({"clause": _("Choose a clause of ISO/IEC 20000-1:2018.")})

    @property
    def response_deadline(self):
        return self.audit.response_deadline if self.is_nonconformity else None


class ActionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified (closed)")


class CorrectiveAction(TenantModel):
    """The organisation's answer to a nonconformity, reviewed and verified by the auditor."""

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="corrective_action"
    )
    correction = models.TextField(_("correction"), blank=True)
    root_cause = models.TextField(_("root-cause analysis"), blank=True)
    plan = models.TextField(_("corrective-action plan"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    evidence = models.ManyToManyField(
        "itsms.Evidence",
        verbose_name=_("evidence items"),
        blank=True,
        related_name="corrective_actions",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ActionState.choices, default=ActionState.DRAFT
    )
    auditor_comment = models.TextField(_("auditor's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    implemented_on = models.DateField(null=True, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return f"{self.finding.reference} · {self.get_state_display()}"

    def is_overdue(self, today) -> bool:
        deadline = self.finding.response_deadline
        return bool(
            deadline
            and today > deadline
            and self.state in (ActionState.DRAFT, ActionState.RETURNED, ActionState.SUBMITTED)
        )
