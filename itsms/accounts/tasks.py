"""Periodic jobs of accounts (scheduled in ``itsms.beat``)."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="itsms.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Remove expired sessions (Django leaves this to a periodic job)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
