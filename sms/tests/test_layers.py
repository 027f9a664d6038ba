"""Imports run one way: certification → sms → audits → processes → itsms. The SMS records
never import ``certification`` (they reach it through the core's deadline-provider hook), and
no app below imports them."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def imported(app: str):
    """(file, module) of every import in the app's code (tests and migrations aside)."""
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT).as_posix(), alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path.relative_to(ROOT).as_posix(), node.module


def test_the_sms_records_never_import_certification():
    upward = [(f, m) for f, m in imported("sms") if m.split(".")[0] == "certification"]
    assert not upward, upward


def test_no_app_below_imports_the_sms_records():
    for app in ("itsms", "processes", "audits"):
        upward = [(f, m) for f, m in imported(app) if m.split(".")[0] == "sms"]
        assert not upward, upward


def test_the_scan_reaches_the_sms_records_only_through_the_hook():
    """certification may import sms (it is above), but its reminders read the registers
    through ``itsms.shared.hooks.deadline_providers``, like any app below would plug in."""
    for name in ("reminders.py", "deadlines.py"):
        modules = {m for f, m in imported("certification") if f.endswith(name)}
        assert "itsms.shared.hooks" in modules and not {m for m in modules if m.startswith("sms")}
