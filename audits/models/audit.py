from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, Membership, TenantModel, TenantQuerySet

from .. import rules
from .labels import label


def default_recertification_lead_days() -> int:
    """``RECERTIFICATION_LEAD_DAYS`` (certification/rules.py gives the rule and its source)."""
    return getattr(settings, "RECERTIFICATION_LEAD_DAYS", 90)


class CertificationBody(TenantModel):
    """The certification body an organisation works with, and its own rules."""

    name = models.CharField(_("name"), max_length=200)
    accreditation = models.CharField(_("accreditation"), max_length=200, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    response_window_days = models.PositiveSmallIntegerField(
        _("nonconformity response window (days)"),
        default=rules.default_response_window_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Root cause and corrective-action plan are due this many days after the "
            "closing meeting (default six weeks)."
        ),
    )
    transition_cutoff = models.DateField(
        _("2011 → 2018 transition cutoff"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the default (2021-09-15)."),
    )
    recertification_lead_days = models.PositiveSmallIntegerField(
        _("recertification audit lead time (days)"),
        default=default_recertification_lead_days,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "The recertification audit is due this many days before the certificate expires, "
            "so that the body can verify major nonconformities before the expiry (default 90)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="cb_unique_name_per_org")
        ]

    def __str__(self):
        return self.name


class AuditKind(models.TextChoices):
    """The kinds of audit. The two stages of the initial audit are named as the seed names them:
    "stage 1 audit" and "stage 2 audit" — not "documentation review" and "on site", since both
    go deeper step by step (ISO/IEC 17021-1 §9.3.1: one audit in two stages)."""

    INTERNAL = "internal", _("Internal audit")
    STAGE1 = "stage1", _("Stage 1 audit")
    STAGE2 = "stage2", _("Stage 2 audit")
    SURVEILLANCE = "surveillance", _("Surveillance audit")
    RECERTIFICATION = "recertification", _("Recertification audit")
    TRANSITION = "transition", _("Transition audit (2011 → 2018)")
    FOLLOW_UP = "follow_up", _("Follow-up audit")
    SPECIAL = "special", _("Special audit (scope extension, short notice)")


EXTERNAL_KINDS = {k for k in AuditKind.values if k != AuditKind.INTERNAL}

#: Kinds that may lead to a certification decision when the body says so (``leads_to_decision``).
SPECIAL_KINDS = {AuditKind.FOLLOW_UP, AuditKind.SPECIAL}

STAGES_HELP = _(
    "Stage 1 and stage 2 are not literally “documents only” and “on site”: both look at "
    "documents and practice, going deeper step by step."
)


class StandardEdition(models.TextChoices):
    """The audit criteria: the standard and its edition."""

    ISO20000_1_2018 = "iso20000-1-2018", "ISO/IEC 20000-1:2018"
    ISO20000_1_2011 = "iso20000-1-2011", "ISO/IEC 20000-1:2011"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSING_MEETING_HELD = "closing_held", _("Closing meeting held")
    CLOSED = "closed", _("Closed")


class AuditQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts (imports, the benchmark) number their audits as ``save()`` does."""
        objs = list(objs)
        missing = [audit for audit in objs if audit.number is None]
        if missing:
            last = dict(
                Audit.objects.filter(organization_id__in={a.organization_id for a in missing})
                .values("organization_id")
                .annotate(n=models.Max("number"))
                .values_list("organization_id", "n")
            )
            for audit in missing:
                audit.number = last[audit.organization_id] = (
                    last.get(audit.organization_id) or 0
                ) + 1
        return super().bulk_create(objs, *args, **kwargs)


class Audit(TenantModel):
    """One audit of the organisation's SMS, internal or by the certification body."""

    number = models.PositiveIntegerField(_("number"), editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AuditKind.choices, help_text=STAGES_HELP
    )
    title = models.CharField(_("title"), max_length=200)
    leads_to_decision = models.BooleanField(
        _("leads to a certification decision"),
        default=False,
        help_text=_(
            "For a follow-up or special audit whose result the certification body decides on "
            "(e.g. a scope extension)."
        ),
    )
    standard_edition = models.CharField(
        _("standard and edition"),
        max_length=20,
        choices=StandardEdition.choices,
        default=StandardEdition.ISO20000_1_2018,
    )
    scope_statement = models.TextField(
        _("scope of the audit"),
        blank=True,
        help_text=_("Leave empty to audit the organisation's SMS scope."),
    )
    certification_body = models.ForeignKey(
        CertificationBody,
        verbose_name=_("certification body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    audit_guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("audit guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member who accompanies the auditors and witnesses findings."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    scope_clauses = models.ManyToManyField(
        Clause, verbose_name=_("clauses in scope"), blank=True, related_name="+"
    )
    scope_processes = models.ManyToManyField(
        "processes.ProcessInstance",
        verbose_name=_("processes in scope"),
        blank=True,
        related_name="audits",
    )
    scope_services = models.ManyToManyField(
        "processes.Service", verbose_name=_("services in scope"), blank=True, related_name="audits"
    )
    scope_sites = models.TextField(_("sites"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    opening_meeting_on = models.DateField(
        _("opening meeting"),
        null=True,
        blank=True,
        help_text=_("In the organisation's time zone; each stage has its own opening meeting."),
    )
    closing_meeting_on = models.DateField(
        _("closing meeting"),
        null=True,
        blank=True,
        help_text=_("In the organisation's time zone; fixes every nonconformity's deadline."),
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AuditQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="audit_number_per_org")
        ]
        # the reminder scan's first cut of open nonconformities (response windows)
        indexes = [models.Index(fields=["closing_meeting_on"], name="audit_closing_meeting_idx")]
        permissions = [
            ("record_findings", "Can record notes and findings in this audit"),
            ("lead_audit", "Leads this audit (records the closing meeting)"),
        ]

    def __str__(self):
        return self.title

    def get_kind_display(self) -> str:
        return label(AuditKind, self.kind)

    def get_status_display(self) -> str:
        return label(AuditStatus, self.status)

    @property
    def reference(self) -> str:
        """Unique within the organisation: A1, A2, … in the order audits were planned."""
        return f"A{self.number}"

    def save(self, *args, **kwargs):
        if self.number is None:
            # Concurrent creates collide on the unique constraint rather than share a number.
            last = Audit.objects.filter(organization_id=self.organization_id).aggregate(
                n=models.Max("number")
            )["n"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.number is None:  # assigned on save
            exclude = set(exclude or ()) | {"number"}
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The end is before the start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The end is before the start.")
        if self.kind == AuditKind.INTERNAL and self.certification_body_id:
            errors["certification_body"] = _("An internal audit has no certification body.")
        if (
            self.certification_body_id
            and self.certification_body.organization_id != self.organization_id
        ):
            errors["certification_body"] = _("Choose a certification body of this organisation.")
        if (
            self.audit_guide_id
            and not Membership.objects.filter(
                organization_id=self.organization_id, user_id=self.audit_guide_id
            ).exists()
        ):
            errors["audit_guide"] = _("The audit guide must be a member of the organisation.")
        if (
            self.opening_meeting_on
            and self.closing_meeting_on
            and self.closing_meeting_on < self.opening_meeting_on
        ):
            errors["closing_meeting_on"] = _("The closing meeting is before the opening meeting.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_external(self):
        return self.kind in EXTERNAL_KINDS

    @property
    def outcome_kind(self) -> str:
        """What the audit concludes: a recommendation, readiness for stage 2, maintenance."""
        return rules.outcome_kind(self.kind, self.leads_to_decision)

    @property
    def scope_text(self) -> str:
        return self.scope_statement or self.organization.scope

    @property
    def response_window_days(self) -> int:
        if self.certification_body_id:
            return self.certification_body.response_window_days
        return rules.default_response_window_days()

    @property
    def response_deadline(self):
        if self.closing_meeting_on is None:
            return None
        return rules.response_deadline(self.closing_meeting_on, self.response_window_days)

    @property
    def last_day(self):
        return self.actual_end or self.planned_end


class AuditAssignment(TenantModel):
    """An auditor on an audit. While active, the auditor reads the SMS and records findings."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead auditor")
        AUDITOR = "auditor", _("Auditor")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AUDITOR)
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit assignment")
        verbose_name_plural = _("audit assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_auditor",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.audit}"

    @property
    def active(self):
        return self.ended_at is None


class PlanSession(TenantModel):
    """A timed session of the audit plan."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.ForeignKey(
        "processes.ProcessInstance",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    auditee = models.CharField(_("auditee"), max_length=200, blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("plan session")
        verbose_name_plural = _("plan sessions")
        ordering = ["starts_at"]

    def __str__(self):
        return self.topic or (self.clause and str(self.clause)) or str(self.starts_at)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session ends before it starts.")})
