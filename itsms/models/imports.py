"""A dry run of an import: what a workbook would change, kept until it is applied or swept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel


class ImportKind(models.TextChoices):
    GAP_ASSESSMENT = "gap_assessment", _("Gap assessment")


class RowOutcome(models.TextChoices):
    NEW = "new", _("New")
    CHANGED = "changed", _("Changed")
    UNCHANGED = "unchanged", _("Unchanged")
    REFUSED = "refused", _("Refused")


class PreviewState(models.TextChoices):
    PENDING = "pending", _("Being read")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be read")


class ImportPreview(TenantModel):
    """What one uploaded workbook would change, row by row (``rows``: a list of
    ``{"line", "key", "outcome", "changes": {field: [before, after]}, "reason", "version"}``).
    ``version`` is the row's version when previewed: applying refuses a preview whose rows
    have changed since."""

    kind = models.CharField(_("kind"), max_length=30, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rows = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    #: A large file is read by a Celery task: pending (with its bytes and progress), then ready.
    state = models.CharField(
        _("state"), max_length=10, choices=PreviewState.choices, default=PreviewState.READY
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=100)
    error = models.TextField(_("error"), blank=True)
    file_format = models.CharField(_("file format"), max_length=10, default="xlsx")
    source = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row["outcome"] == outcome)

    @property
    def refused(self) -> bool:
        return any(row["outcome"] == RowOutcome.REFUSED for row in self.rows)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row["outcome"] in (RowOutcome.NEW, RowOutcome.CHANGED))
