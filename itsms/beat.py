"""Every periodic task of the product, in one place (Celery beat)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "scan-reminders": {
        "task": "certification.tasks.scan_reminders",
        "schedule": crontab(minute="*/30"),  # each organisation's morning comes at its own hour
    },
    "snapshot-readiness": {
        "task": "itsms.tasks.snapshot_readiness",
        "schedule": crontab(minute=45),  # hourly: today's row is updated in place
    },
    "clear-expired-sessions": {
        "task": "itsms.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17),  # hourly
    },
    "expire-evidence": {
        "task": "itsms.tasks.expire_evidence",
        "schedule": crontab(hour=1, minute=5),  # daily
    },
}
