"""The project wiring (settings, urls, Celery app) and the core app.

The Celery app is imported here so that ``shared_task`` binds to it in every
process (web, worker, beat).
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
