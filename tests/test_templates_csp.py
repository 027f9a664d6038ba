"""Our Content-Security-Policy forbids inline styles and scripts: no template may use them.

(The PDF report's <style> is rendered by WeasyPrint, never served as a page.)
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ALLOWED = {  # PDF templates: rendered by WeasyPrint, never served as pages
    "audits/templates/audits/report.html",
    "audits/templates/audits/plan_pdf.html",
    "itsms/templates/itsms/report_readiness.html",
}


def test_no_template_uses_inline_style_or_script():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(".venv") or rel in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle=\"|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=\"", text):
            offenders.append(rel)
    assert not offenders, f"inline style/script blocked by the CSP in: {offenders}"
