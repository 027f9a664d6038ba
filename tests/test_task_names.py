"""Celery tasks keep their names wherever their code lives: beat schedules and messages already
queued name a task by its registered name, so a move of a module must not change it."""

from itsms.beat import BEAT_SCHEDULE
from itsms.celery import app

#: Names that schedules and queued messages in the wild use; a task's name never changes.
PUBLISHED = {
    "itsms.tasks.send_invitation_email",
    "itsms.tasks.clear_expired_sessions",
    "itsms.tasks.expire_evidence",
    "itsms.tasks.send_evidence_expired_email",
    "itsms.evidence.tasks.extract_version_text",
    "itsms.tasks.send_notification_email",
    "itsms.tasks.snapshot_readiness",
    "itsms.assessment.tasks.read_preview",
    "certification.tasks.scan_reminders",
    "certification.tasks.send_reminder",
    "audits.tasks.build_audit_pack",
    "itsms.archive.tasks.build_archive",
    "certification.tasks.send_reminders",
    "itsms.accounts.emails.deliver_email",
}


def registered_names():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_a_worker_knows_the_published_task_names_and_no_other():
    """Moving a task without ``name=`` renames it (Celery names a task after its module): it
    would drop out of this set. A new task gets an explicit ``name=`` and a line above."""
    names = registered_names()
    assert names == PUBLISHED, f"unknown: {names - PUBLISHED}, missing: {PUBLISHED - names}"


def test_every_scheduled_task_is_known_to_a_worker():
    names = registered_names()
    for entry, schedule in BEAT_SCHEDULE.items():
        assert schedule["task"] in names, entry
