"""Evidence documents (clause 7.5 documented information): items, their versions, integrity.

An ``Evidence`` item is one controlled document (a policy, a procedure, a record…). Its
files are ``EvidenceVersion`` rows, append-only: a new upload is a new version, never an
overwrite. Document control (clause 7.5.3) lives on the item: draft → in review → approved
→ superseded / expired; only an approved, unexpired, non-deleted item counts as evidence.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .standards import Clause
from .tenancy import TenantModel, TenantQuerySet


class EvidenceKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROCEDURE = "procedure", _("Process / procedure")
    PLAN = "plan", _("Plan")
    RECORD = "record", _("Record")
    REPORT = "report", _("Report")
    AGREEMENT = "agreement", _("Agreement / SLA")
    OTHER = "other", _("Other")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    RESTRICTED = "restricted", _("Restricted")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


#: Document control (7.5.3): the status changes a person may make. Expiry is also set by the
#: daily task. A new version of an approved (or expired) item sends it to review: the changed
#: document is approved again, and until then its approved version keeps counting.
TRANSITIONS: dict[str, frozenset[str]] = {
    DocumentStatus.DRAFT: frozenset({DocumentStatus.IN_REVIEW}),
    DocumentStatus.IN_REVIEW: frozenset({DocumentStatus.APPROVED, DocumentStatus.DRAFT}),
    DocumentStatus.APPROVED: frozenset({DocumentStatus.SUPERSEDED, DocumentStatus.EXPIRED}),
    DocumentStatus.EXPIRED: frozenset({DocumentStatus.IN_REVIEW}),
    DocumentStatus.SUPERSEDED: frozenset(),
}


#: The statuses in which an item's approved version is in force.
COUNTING_STATUSES = (DocumentStatus.APPROVED, DocumentStatus.IN_REVIEW, DocumentStatus.DRAFT)


class EvidenceQuerySet(TenantQuerySet):
    def alive(self):
        """Not soft-deleted."""
        return self.filter(deleted_at__isnull=True)

    def counting(self, today: date):
        """Items that count as evidence today: not deleted, review-by not passed, with an
        approved version that is still in force (approved, or a newer version in review or in
        draft: the approved one counts until a newer one is approved)."""
        return (
            self.alive()
            .filter(status__in=COUNTING_STATUSES, approved_version__isnull=False)
            .filter(models.Q(review_by__isnull=True) | models.Q(review_by__gte=today))
        )


class Evidence(TenantModel):
    """One controlled document of the organisation, with its versions and links."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.OTHER
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_evidence",
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    effective_date = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("The date (audit period) the document applies from; not the upload date."),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("After this date the evidence expires and stops counting until reviewed."),
    )
    clauses = models.ManyToManyField(
        Clause, verbose_name=_("clauses"), blank=True, related_name="evidence"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_to_review",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_version = models.ForeignKey(
        "EvidenceVersion",
        verbose_name=_("approved version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_version = models.ForeignKey(
        "EvidenceVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_note = models.TextField(_("note on the last status change"), blank=True)
    #: Optimistic locking of the item's metadata (``itsms.shared.versioning``); every write of
    #: the item takes the next one. Not the number of its files (``EvidenceVersion.number``).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deletion_reason = models.TextField(_("reason for deletion"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["title", "pk"]
        # the reminder scan and the expiry task select by review date
        indexes = [models.Index(fields=["review_by"], name="evidence_review_by_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values), name="evidence_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(confidentiality__in=Confidentiality.values),
                name="evidence_confidentiality_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | ~models.Q(deletion_reason=""),
                name="evidence_deletion_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_review_overdue(self, today: date) -> bool:
        return bool(self.review_by and self.review_by < today)

    def is_flagged_expired(self, today: date) -> bool:
        """Expired by status, or past its review-by date before the daily task has run."""
        return self.status == DocumentStatus.EXPIRED or (
            self.status == DocumentStatus.APPROVED and self.is_review_overdue(today)
        )

    def counts(self, today: date) -> bool:
        """Does this item count as evidence today (an approved version in force, unexpired,
        not deleted)? The same rule as ``EvidenceQuerySet.counting``."""
        return (
            not self.is_deleted
            and self.status in COUNTING_STATUSES
            and self.approved_version_id is not None
            and not self.is_review_overdue(today)
        )

    def allowed_transitions(self) -> list[str]:
        if self.is_deleted:
            return []
        return [s for s in DocumentStatus.values if s in TRANSITIONS[self.status]]


def evidence_upload_to(instance, filename):  # pragma: no cover - names are set by the service
    return f"evidence/{instance.organization_id}/{filename}"


class EvidenceVersion(TenantModel):
    """One uploaded file of an evidence item. Append-only: never changed, never overwritten."""

    #: Where the organisation archive finds each file's recorded hash (itsms.archive).
    archive_file_hashes = {"file": "sha256"}

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("detected content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    change_note = models.TextField(_("change note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Set when a download found the stored bytes differ from the recorded hash.
    integrity_failed_at = models.DateTimeField(_("integrity failure"), null=True, blank=True)
    integrity_observed_sha256 = models.CharField(
        _("SHA-256 found in storage"), max_length=64, blank=True
    )
    # The text of the file, extracted once after the upload (``itsms.evidence.text``) for
    # search; empty when the format holds no extractable text.
    extracted_text = models.TextField(
        _("extracted text"), blank=True, editable=False, db_default=""
    )
    text_extracted_at = models.DateTimeField(
        _("text extracted"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("evidence version")
        verbose_name_plural = _("evidence versions")
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "number"], name="evidence_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="evidence_version_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.evidence} v{self.number}"
