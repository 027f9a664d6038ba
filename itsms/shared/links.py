"""Absolute links for emails and feeds: ``SITE_URL`` + a path.

``SITE_URL`` is where users reach the product. The run command sets it from the address it
binds (``run_embedded``); production requires it (``itsms.settings.production`` refuses to
start without it, and the system check ``itsms.E001`` refuses one that is not an absolute
http(s) address).
"""

from django.conf import settings


def site_url() -> str:
    return (settings.SITE_URL or "").rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/o/bank/…``) as an absolute address; an absolute ``path`` is kept."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + (path if path.startswith("/") else "/" + path)
