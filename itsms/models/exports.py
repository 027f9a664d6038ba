"""Signed exports built in the background: the organisation archive (here) and the audit pack
(the audits app), each one row from the request to the stored ZIP."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


IN_PROGRESS = (ExportStatus.QUEUED, ExportStatus.BUILDING)

#: Why a build failed (``error`` holds the code; pages show the message).
INTERRUPTED = "interrupted"
BUILD_FAILED = "build_failed"
ERRORS = {
    INTERRUPTED: _("The build was interrupted; a new one was started."),
    BUILD_FAILED: _("It could not be built; try again, or ask your administrator."),
}


@cache
def _status_labels(language: str) -> dict[str, str]:
    return {value: str(label) for value, label in ExportStatus.choices}


class ExportJob(TenantModel):
    """One build of an export: who asked and when, how far it got, the stored ZIP and its hash.

    A job row keeps no history of its own (its progress would fill it); ``requested_by`` says
    who acted. The ZIP lives in the default storage beside the evidence and is only ever
    streamed by a permission-checked view. A build that has not moved for
    ``EXPORT_STALE_MINUTES`` was lost with its worker and gives way to a new request.
    """

    #: The organisation archive leaves export jobs out: each is rebuilt from the rows.
    archive_excluded = "a build artefact, rebuilt from the archived rows and files"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    progressed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    key_id = models.CharField(_("signing key"), max_length=64, blank=True)
    error = models.CharField(max_length=20, blank=True)

    #: what the download is called: "<prefix>-<organisation>-…-<when>.zip"
    download_prefix = "export"

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    def get_status_display(self) -> str:
        return _status_labels(get_language() or "en").get(self.status, self.status)

    @property
    def error_message(self) -> str:
        return str(ERRORS.get(self.error, "")) if self.error else ""

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def is_stale(self, now=None) -> bool:
        minutes = getattr(settings, "EXPORT_STALE_MINUTES", 60)
        now = now or timezone.now()
        return self.in_progress and self.progressed_at < now - timedelta(minutes=minutes)

    def download_parts(self) -> list[str]:
        return [self.download_prefix, self.organization.slug]

    def download_name(self) -> str:
        stamp = timezone.localtime(self.requested_at, self.organization.zoneinfo)
        return f"{slugify('-'.join(self.download_parts()))}-{stamp:%Y%m%d-%H%M}.zip"


class OrganizationArchive(ExportJob):
    """Everything of one organisation (rows, history, files) as one signed ZIP: data
    portability and backup (``itsms.archive``)."""

    download_prefix = "organisation-archive"

    rows = models.PositiveIntegerField(_("rows"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)

    class Meta(ExportJob.Meta):
        verbose_name = _("organisation archive")
        verbose_name_plural = _("organisation archives")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=["queued", "building"]),
                name="one_organization_archive_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values),
                name="organization_archive_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.requested_at:%Y-%m-%d %H:%M}"
