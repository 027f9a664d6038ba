from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, TenantModel, TenantQuerySet

from .audit import Audit
from .labels import label


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
    CONCERN = "concern", _("Area of concern")


NONCONFORMITIES = (Grade.MAJOR, Grade.MINOR)

#: Areas of concern are raised at stage 1 only: what could become a nonconformity at stage 2
#: (ISO/IEC 17021-1 §9.3.1.2; certification-rules.md, "Stage 1 / stage 2").
STAGE1_ONLY = (Grade.CONCERN,)


class FindingQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts give each finding its reference, as ``save()`` does."""
        objs = list(objs)
        missing = [f for f in objs if not f.reference]
        if missing:
            numbers = dict(
                Audit.objects.filter(pk__in={f.audit_id for f in missing}).values_list(
                    "pk", "number"
                )
            )
            for finding in missing:
                finding.reference = Finding.reference_for(numbers[finding.audit_id], finding.number)
        return super().bulk_create(objs, *args, **kwargs)


class Finding(TenantModel):
    """What the auditor found, graded, against a clause, with its objective evidence."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=24, editable=False)
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
        "itsms.Evidence",
        verbose_name=_("evidence items"),
        blank=True,
        related_name="findings",
        through="audits.FindingEvidence",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # An area of concern of stage 1 is resolved before stage 2 (17021-1 §9.3.1.2.4): when the
    # auditor found it resolved, and how.
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_per_audit"),
            # References are read across audits (dashboard, reminders): never two "F1".
            models.UniqueConstraint(
                fields=["organization", "reference"], name="finding_reference_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__in=Grade.values), name="finding_grade_valid"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.get_grade_display()}"

    def get_grade_display(self) -> str:
        return label(Grade, self.grade)

    @staticmethod
    def reference_for(audit_number: int, number: int) -> str:
        """The audit's reference and the finding's number: A3-F1 (unique in the organisation)."""
        return f"A{audit_number}-F{number}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = self.reference_for(self.audit.number, self.number)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if not self.reference:  # assigned on save
            exclude = set(exclude or ()) | {"reference"}
        super().clean_fields(exclude=exclude)

    @property
    def is_nonconformity(self):
        return self.grade in NONCONFORMITIES

    def clean(self):
        if self.is_nonconformity and not self.clause_id:
            raise ValidationError({"clause": _("A nonconformity names the clause not met.")})
        if self.clause_id and self.clause.standard.code != "iso20000-1-2018":
            raise ValidationError({"clause": _("Choose a clause of ISO/IEC 20000-1:2018.")})
        if self.grade in STAGE1_ONLY and self.audit_id and self.audit.kind != "stage1":
            raise ValidationError(
                {"grade": _("Areas of concern are raised in a stage 1 audit only.")}
            )
        if self.resolved_on and not self.is_concern:
            raise ValidationError(
                {"resolved_on": _("Only an area of concern is resolved this way.")}
            )
        if self.resolved_on and not self.resolution.strip():
            raise ValidationError({"resolution": _("Say how the area of concern was resolved.")})
        if self.resolved_on and self.resolved_on > self.organization.local_today():
            raise ValidationError({"resolved_on": _("This date is in the future.")})

    @property
    def is_concern(self):
        return self.grade in STAGE1_ONLY

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


class CorrectiveActionQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts take the submission day from the submission time, in the organisation's
        time zone, as ``services.action_submit`` records it."""
        from itsms.models import Organization

        objs = list(objs)
        missing = [a for a in objs if a.submitted_at and not a.submitted_on]
        if missing:
            zones = dict(
                Organization.objects.filter(
                    pk__in={a.organization_id for a in missing}
                ).values_list("pk", "time_zone")
            )
            for action in missing:
                zone = ZoneInfo(zones[action.organization_id])
                action.submitted_on = action.submitted_at.astimezone(zone).date()
        return super().bulk_create(objs, *args, **kwargs)


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
        through="audits.ActionEvidence",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ActionState.choices, default=ActionState.DRAFT
    )
    auditor_comment = models.TextField(_("auditor's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(
        _("submitted on"),
        null=True,
        blank=True,
        help_text=_("The day of the last submission, in the organisation's time zone."),
    )
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

    objects = CorrectiveActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return f"{self.finding.reference} · {self.get_state_display()}"

    def get_state_display(self) -> str:
        return label(ActionState, self.state)

    @property
    def submitted_late(self) -> bool:
        """The plan now with the auditor (or accepted) reached them after the deadline."""
        deadline = self.finding.response_deadline
        return bool(deadline and self.submitted_on and self.submitted_on > deadline)

    def is_overdue(self, today) -> bool:
        """The response deadline binds the organisation's submission of the root-cause analysis
        and plan (``audits.rules``): overdue is a plan still owed after the deadline, or one
        submitted after it and not yet accepted. A plan submitted in time is never overdue,
        however long the auditor takes to accept it. ``filters.overdue_q`` is the same rule in
        SQL."""
        deadline = self.finding.response_deadline
        if not deadline or today <= deadline:
            return False
        if self.state in (ActionState.DRAFT, ActionState.RETURNED):
            return True
        return self.state == ActionState.SUBMITTED and self.submitted_late
