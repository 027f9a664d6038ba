"""Background work, measured in a process of its own on a throw-away copy of the bench database.

The reminder scan runs as Celery beat runs it: the beat schedule's reminder task (looked up in
the Celery app's ``beat_schedule``, not by module path), called in-process, twice, with the
in-memory broker and no worker consuming. For each run: the wall time, the time spent handing
messages to the broker (Celery's ``before/after_task_publish`` signals), the time of the scan
itself (the difference, which the targets judge), the statements (and INSERTs) it ran, the
messages it queued and the messages waiting in the broker afterwards.

Run by ``python -m bench``; prints one JSON line last.
"""

from __future__ import annotations

import json
import math
import sys
import time

import django

SCAN_BATCH = 200  # organisations per batch of today's scan, to express queries per batch
PACK_VERSIONS = 500  # evidence versions sampled in the audit whose pack is built


def _beat_reminder_task(app):
    app.loader.import_default_modules()
    for key, entry in app.conf.beat_schedule.items():
        if "reminder" in key or "reminder" in entry["task"]:
            return key, app.tasks[entry["task"]]
    raise LookupError("no reminder task in the beat schedule")


def _waiting_in_broker() -> int:
    from kombu.transport.memory import Channel

    return sum(queue.qsize() for queue in Channel.queues.values())


class Publishing:
    """Counts and times the messages Celery hands to the broker."""

    def __init__(self):
        from celery.signals import after_task_publish, before_task_publish

        self.count, self.seconds, self._started = 0, 0.0, {}
        before_task_publish.connect(self._before, weak=False)
        after_task_publish.connect(self._after, weak=False)

    def _before(self, headers=None, **kwargs):
        self._started[(headers or {}).get("id")] = time.perf_counter()

    def _after(self, headers=None, **kwargs):
        started = self._started.pop((headers or {}).get("id"), None)
        self.count += 1
        if started is not None:
            self.seconds += time.perf_counter() - started


def run_scan(explainer=None) -> dict:
    from celery import current_app
    from django.apps import apps
    from django.db import connection

    from .explain import capture

    key, task = _beat_reminder_task(current_app)
    Reminder = apps.get_model("certification", "Reminder")
    organizations = apps.get_model("itsms", "Organization").objects.count()
    publishing = Publishing()
    runs = []
    for name in ("first", "repeat"):
        count_before, seconds_before = publishing.count, publishing.seconds
        inserts = 0

        def count_inserts(execute, sql, params, many, context):
            nonlocal inserts
            inserts += sql.lstrip().upper().startswith("INSERT")
            return execute(sql, params, many, context)

        with capture() as captured, connection.execute_wrapper(count_inserts):
            started = time.perf_counter()
            claimed = task()  # the reminder ids it handed over (in batches per message)
            seconds = time.perf_counter() - started
        publish_seconds = publishing.seconds - seconds_before
        runs.append(
            {
                "run": name,
                "seconds": seconds,
                "publish_seconds": publish_seconds,
                "scan_seconds": seconds - publish_seconds,
                "queued": publishing.count - count_before,
                "claimed": claimed if isinstance(claimed, int) else None,
                "waiting": _waiting_in_broker(),
                "queries": captured.total,
                "inserts": inserts,
                "reminders": Reminder.objects.count(),
            }
        )
        if explainer is not None:
            explainer.report(f"reminder scan, {name} run", captured)
    batches = max(1, math.ceil(organizations / SCAN_BATCH))
    for run in runs:
        run["queries_per_batch"] = run["queries"] / batches
    return {"task": key, "organizations": organizations, "batches": batches, "runs": runs}


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run_pack() -> dict:
    """The audit pack of the biggest audit with ``PACK_VERSIONS`` evidence versions sampled
    (one version of each of as many items, often not the current one), built in-process as
    the Celery task builds it; its time and how much the process's peak memory grew."""
    import os

    from django.apps import apps
    from django.db.models import Count

    from audits.pack import build

    Audit = apps.get_model("audits", "Audit")
    FindingEvidence = apps.get_model("audits", "FindingEvidence")
    AuditPack = apps.get_model("audits", "AuditPack")
    EvidenceVersion = apps.get_model("itsms", "EvidenceVersion")
    audit = Audit.objects.annotate(n=Count("findings")).order_by("-n").first()
    findings = list(audit.findings.order_by("pk").values_list("pk", flat=True))
    versions, seen = [], set()
    for version in EvidenceVersion.objects.filter(organization=audit.organization).order_by(
        "evidence_id", "number"
    ):
        if version.evidence_id not in seen:
            seen.add(version.evidence_id)
            versions.append(version)
        if len(versions) >= PACK_VERSIONS:
            break
    FindingEvidence.objects.bulk_create(
        FindingEvidence(
            organization_id=audit.organization_id,
            finding_id=findings[i % len(findings)],
            evidence_id=version.evidence_id,
            sampled_version=version,
        )
        for i, version in enumerate(versions)
    )
    pack = AuditPack.objects.create(
        organization_id=audit.organization_id, audit=audit, language="en", status="building"
    )
    pack = AuditPack.objects.select_related("organization", "audit__organization").get(pk=pack.pk)
    before = _peak_rss_mb()
    started = time.perf_counter()
    built = build.build(pack)
    seconds = time.perf_counter() - started
    grown = max(0.0, _peak_rss_mb() - before)
    os.unlink(built.path)
    return {
        "seconds": seconds,
        "versions": len(versions),
        "included": built.evidence_count,
        "failed": built.failed_count,
        "findings": len(findings),
        "bytes": built.size,
        "peak_growth_mb": grown,
        "peak_mb": _peak_rss_mb(),
    }


def explain_pages(ids: dict, explainer) -> None:
    """Request the hot pages in-process and explain what they ran."""
    from django.apps import apps
    from django.test import Client

    from .explain import capture

    slug = ids["big_slug"]
    user = apps.get_model("itsms", "User").objects.get(email=ids["consultant_email"])
    client = Client()
    client.force_login(user)
    for label, path in (
        ("dashboard", f"/o/{slug}/dashboard/"),
        ("gap assessment tree", f"/o/{slug}/assessment/"),
        ("organisation calendar", f"/o/{slug}/calendar/"),
        ("portfolio calendar", "/calendar/"),
        ("consultant portfolio", "/"),
    ):
        client.get(path)  # warm: first-request work is not the page's
        with capture() as captured:
            status = client.get(path).status_code
        explainer.report(f"{label} ({path}, HTTP {status})", captured)


IMPORT_ROWS = 5_000


def run_import() -> dict:
    """The dry run of a 5,000-row gap-assessment workbook: read the XLSX, plan every row and
    store the preview, as the upload page does (timed together; statements counted)."""
    import io

    import openpyxl
    from django.apps import apps
    from django.db import connection

    from itsms.assessment import imports, workbook
    from itsms.assessment.selectors import leaf_numbers

    ClauseAssessment = apps.get_model("itsms", "ClauseAssessment")
    first = ClauseAssessment.objects.select_related("organization").first()
    organization = (
        first.organization if first else apps.get_model("itsms", "Organization").objects.first()
    )
    actor = apps.get_model("itsms", "Membership").objects.filter(organization=organization).first()
    numbers = leaf_numbers()
    statuses = ("Planned", "Partially implemented", "Implemented", "Not started")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Gap assessment")
    sheet.append([workbook.header(label) for _key, label in workbook.COLUMNS])
    for i in range(IMPORT_ROWS):
        sheet.append(
            [
                numbers[i % len(numbers)],
                "",
                statuses[i % 4],
                i % 6,
                "",
                "2027-01-31",
                "",
                "",
                f"note {i}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        buffer.seek(0)
        rows = workbook.read(buffer, "xlsx")
        preview = imports.preview_gap_assessment(
            organization=organization,
            actor=actor.user if actor else None,
            rows=rows,
            file_name="bench.xlsx",
        )
    seconds = time.perf_counter() - started
    return {
        "rows": len(rows),
        "seconds": seconds,
        "queries": statements,
        "refused": preview.count("refused"),
        "bytes": len(buffer.getvalue()),
    }


def main(argv: list[str]) -> int:
    django.setup()
    from .explain import Explainer

    ids = json.loads(argv[argv.index("--ids") + 1])
    explainer = Explainer() if "--explain" in argv else None
    if explainer is not None:
        explain_pages(ids, explainer)
    result = run_scan(explainer)
    result["import"] = run_import()
    result["pack"] = run_pack()
    if explainer is not None:
        explainer.summary()
    sys.stdout.flush()
    print("BENCH-JOB " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
