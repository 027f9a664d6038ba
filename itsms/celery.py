"""The Celery application. Beat schedules live in ``itsms.beat``."""

import os

from celery import Celery
from celery.signals import worker_ready

from .beat import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsms.settings")

app = Celery("itsms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = BEAT_SCHEDULE
app.autodiscover_tasks()  # each installed app's tasks.py
# The core's domain packages: periodic jobs in tasks.py, email deliveries in emails.py. Every
# task names itself (``name=``) as it was named before the packages existed, so beat schedules
# and messages already queued keep working.
CORE_PACKAGES = [
    "itsms.accounts",
    "itsms.archive",
    "itsms.assessment",
    "itsms.evidence",
    "itsms.notifications",
    "itsms.tenancy",
]
app.autodiscover_tasks(CORE_PACKAGES, related_name="tasks")
app.autodiscover_tasks(CORE_PACKAGES, related_name="emails")


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs):
    """kombu's filesystem transport needs its folders to exist before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@worker_ready.connect
def _announce_ready(sender, **kwargs):
    """The embedded run (``run_embedded``) prints its banner once the worker is ready."""
    path = os.environ.get("ITSMS_WORKER_READY_FILE")
    if path:
        with open(path, "w") as handle:
            handle.write(str(os.getpid()))
