"""The audit report as a PDF (WeasyPrint). Chinese renders with Noto Sans CJK SC.

The layout is chosen to stay fast with hundreds of findings (the benchmark's audit has 600):
a summary first, then every finding as a short paragraph grouped by type, in an appendix once
there are more than ``INLINE_FINDINGS``. WeasyPrint spends its time laying out auto-sized
tables and embedding font faces, so the findings are not a table and the report uses one face.

Reports are cached by content: the HTML is rendered (cheap) and hashed; the PDF is laid out
only when that HTML has not been seen by this process. A handful of PDFs is kept
(``AUDIT_REPORT_CACHE_ENTRIES``, 8 by default: a few MB), least recently used first out. The
"generated" time is not part of the hash: a cached report says when it was laid out.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from itsms.shared.timezones import organization_context

from . import selectors
from .models import Grade
from .models.audit import STAGES_HELP

#: Up to this many findings are listed in the body; more go to an appendix on its own pages.
INLINE_FINDINGS = 30

GRADE_ORDER = (Grade.MAJOR, Grade.MINOR, Grade.CONCERN, Grade.OBSERVATION, Grade.OFI)


def report_context(audit) -> dict:
    findings = selectors.findings_of(audit)
    outcome = selectors.outcome_for(audit)
    by_grade = {grade: [] for grade in GRADE_ORDER}
    for finding in findings:
        by_grade[finding.grade].append(finding)
    return {
        "audit": audit,
        "organization": audit.organization,
        "findings": findings,
        "groups": [
            {"label": Grade(grade).label, "findings": items}
            for grade, items in by_grade.items()
            if items
        ],
        "summary": [
            {"label": Grade(grade).label, "count": len(items)}
            for grade, items in by_grade.items()
            if items or grade != Grade.CONCERN
        ],
        "appendix": len(findings) > INLINE_FINDINGS,
        "team": selectors.active_assignments(audit),
        "outcome": outcome,
        "areas_of_concern": selectors.areas_of_concern(audit, outcome),
        "stages_help": STAGES_HELP,
        "scope_clauses": list(audit.scope_clauses.order_by("order")),
        "scope_processes": list(audit.scope_processes.select_related("clause")),
        "scope_services": list(audit.scope_services.all()),
        "generated": _GENERATED,
    }


#: Stands for the generation time in the HTML that is hashed; replaced before the layout.
_GENERATED = f"generated-{secrets.token_hex(8)}"
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def _cache_entries() -> int:
    return getattr(settings, "AUDIT_REPORT_CACHE_ENTRIES", 8)


def audit_report_pdf(audit, *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    # The organisation's language and time zone, wherever it is rendered (page or worker).
    with organization_context(audit.organization, language):
        html = render_to_string("audits/report.html", report_context(audit))
    key = hashlib.sha256(html.encode()).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    now = timezone.localtime(timezone.now(), audit.organization.zoneinfo)
    pdf = HTML(string=html.replace(_GENERATED, dateformat.format(now, "Y-m-d H:i"))).write_pdf()
    with _lock:
        _cache[key] = pdf
        while len(_cache) > max(0, _cache_entries()):
            _cache.popitem(last=False)
    return pdf


def plan_context(audit) -> dict:
    return {
        "audit": audit,
        "organization": audit.organization,
        "team": selectors.active_assignments(audit),
        "sessions": list(audit.sessions.select_related("clause", "process__clause")),
        "scope_clauses": list(audit.scope_clauses.order_by("order")),
        "scope_processes": list(audit.scope_processes.select_related("clause")),
        "scope_services": list(audit.scope_services.all()),
    }


def audit_plan_pdf(audit, *, language: str | None = None) -> bytes:
    """The audit plan as a PDF: criteria, team and the timed sessions, in the organisation's
    time zone (the times a session shows are the auditee's)."""
    from weasyprint import HTML

    with organization_context(audit.organization, language):
        context = plan_context(audit)
        context["generated"] = dateformat.format(timezone.localtime(timezone.now()), "Y-m-d H:i")
        html = render_to_string("audits/plan_pdf.html", context)
    return HTML(string=html).write_pdf()
