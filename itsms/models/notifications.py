"""In-app notifications (one row per message to one user in one organisation), and how each
user wants to hear of them (the preference reminders follow too)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel, TenantQuerySet


class NotificationQuerySet(TenantQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    """A message to a user ("Evidence X expired"), with a link to what it is about.

    ``text`` is the message as written, in the organisation's language. A message sent
    through ``notify`` with a translatable ``message`` (its msgid) and ``params`` is shown
    in the reader's language instead (``display_text``).
    """

    archive_urls = ("url",)  # the organisation archive rewrites the link (itsms.archive)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    text = models.CharField(_("text"), max_length=500)
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "organization", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def display_text(self) -> str:
        """The message in the active language (the stored text when it cannot be rebuilt).

        ``params`` holds the message's parameters per language (``{"en": {…}, "zh-hans":
        {…}}``): a clause's heading reads in the reader's language too."""
        if self.message and isinstance(self.params, dict) and self.params:
            values = self.params.get(get_language()) or next(iter(self.params.values()))
            try:
                return (gettext(self.message) % values)[:500]
            except (KeyError, TypeError, ValueError):
                pass
        return self.text


class NotificationPreference(models.Model):
    """How a user hears of notifications and reminders: email, in-app, both or none."""

    class Channel(models.TextChoices):
        BOTH = "both", _("Email and in-app")
        EMAIL = "email", _("Email only")
        IN_APP = "in_app", _("In-app only")
        NONE = "none", _("None")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    channel = models.CharField(
        _("notifications and reminders"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.BOTH,
        help_text=_(
            "Work assigned to you or moving on (evidence to review, corrective actions, "
            "clauses, processes, audits) and certification reminders."
        ),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.channel}"

    @property
    def in_app(self) -> bool:
        return self.channel in (self.Channel.BOTH, self.Channel.IN_APP)

    @property
    def email(self) -> bool:
        return self.channel in (self.Channel.BOTH, self.Channel.EMAIL)
