from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itsms.models import TenantModel


class Reminder(TenantModel):
    """One reminder, created once per (subject, kind, due date) by the periodic scan.

    ``kind`` carries the offset ("surveillance-1:-30" = 30 days before surveillance 1), so the
    unique constraint makes the scan idempotent: running it twice creates nothing new.
    """

    #: The organisation archive maps ``subject_id`` by the type and rewrites the link
    #: (itsms.archive.registry).
    archive_pointers = {
        "subject_id": (
            "subject_type",
            {
                "certificate": "certification.Certificate",
                "action": "audits.CorrectiveAction",
                "evidence": "itsms.Evidence",
                "audit": "audits.Audit",
            },
        )
    }
    archive_urls = ("url",)

    subject_type = models.CharField(max_length=30)
    subject_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=60)
    due_date = models.DateField()
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the scan last queued its sending: a reminder is queued again only once this lease
    # has expired unsent (its task was lost), never on every scan.
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "due_date"],
                name="one_reminder_per_subject_kind_due",
            )
        ]
        indexes = [
            models.Index(fields=["sent_at"]),
            models.Index(
                fields=["queued_at", "id"],
                condition=models.Q(sent_at__isnull=True),
                name="reminder_unsent_queue",
            ),
        ]

    def __str__(self):
        return self.title


class ReminderDelivery(TenantModel):
    """One recipient of a reminder; written before sending, marked after (never twice)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reminder", "user"], name="one_delivery_per_user")
        ]


class CalendarFeed(models.Model):
    """A user's secret iCal feed address; only the token's hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} feed"
