"""The readiness (gap-analysis) report as a PDF, for steering committees and management.

Its content is the dashboard's (``dashboard.readiness_context``); it is rendered in the
organisation's time zone (the generation time) and in its language unless asked otherwise.

Laid out cheaply (one font face, fixed table layout) and cached by content, as the audit
report is: the HTML is rendered (cheap) and hashed; the PDF is laid out only when that HTML
has not been seen by this process (``READINESS_REPORT_CACHE_ENTRIES``, 8 by default, least
recently used first out). The "generated" time is not part of the hash: a cached report says
when it was laid out.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from itsms.shared.timezones import organization_context

from .dashboard import readiness_context

#: Stands for the generation time in the HTML that is hashed; replaced before the layout.
_GENERATED = f"generated-{secrets.token_hex(8)}"
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def _cache_entries() -> int:
    return getattr(settings, "READINESS_REPORT_CACHE_ENTRIES", 8)


def readiness_report_pdf(organization, *, language: str | None = None) -> bytes:
    """The report in ``language`` (default: the organisation's), clause headings included."""
    from weasyprint import HTML

    with organization_context(organization, language):  # titles read the active language
        html = render_to_string("itsms/report_readiness.html", _context(organization))
    key = hashlib.sha256(html.encode()).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    now = timezone.localtime(timezone.now(), organization.zoneinfo)
    pdf = HTML(string=html.replace(_GENERATED, dateformat.format(now, "Y-m-d H:i"))).write_pdf()
    with _lock:
        _cache[key] = pdf
        while len(_cache) > max(0, _cache_entries()):
            _cache.popitem(last=False)
    return pdf


def _context(organization) -> dict:
    context = readiness_context(organization, with_trend=False, with_changes=False)
    context["generated"] = _GENERATED
    return context
