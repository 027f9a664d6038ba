"""System checks of the deployment's settings (``manage.py check``, run at every start)."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility, deploy=False)
def site_url_is_absolute(app_configs, **kwargs):
    """``SITE_URL`` is the base of every link in an email: it must be an absolute http(s)
    address, or invitations and reminders point nowhere (``itsms.E001``)."""
    value = getattr(settings, "SITE_URL", "") or ""
    parsed = urlparse(value)
    if parsed.scheme in ("http", "https") and parsed.netloc and not parsed.query:
        return []
    return [
        Error(
            f"SITE_URL must be the product's absolute address, e.g. https://itsms.example.org "
            f"(it is {value!r}).",
            hint="Set the SITE_URL environment variable: links in emails are built from it.",
            id="itsms.E001",
        )
    ]
