"""What the product remembers about a user's sign-ins: the browsers they used before."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KnownDevice(models.Model):
    """A browser the user signed in from, recognised by a random key in a long-lived cookie
    (only its SHA-256 is stored). A sign-in from a browser without a known key is a sign-in from
    a new device: the user is told by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="known_devices",
    )
    key_hash = models.CharField(max_length=64, editable=False)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first sign-in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")
        constraints = [
            models.UniqueConstraint(fields=["user", "key_hash"], name="known_device_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.user_agent[:40]}"
