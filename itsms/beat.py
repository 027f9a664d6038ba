"""Every periodic task of the product, in one place (Celery beat)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "itsms.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17),  # hourly
    },
}
