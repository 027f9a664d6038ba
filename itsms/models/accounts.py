from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox): only its SHA-512 digest and first characters are
    stored; the key is shown once, when it is made. Named by its owner, it expires."""

    name = models.CharField(_("name"), max_length=100)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.token_key}…)"

    def is_expired(self, now=None) -> bool:
        return self.expiry is not None and self.expiry <= (now or timezone.now())
