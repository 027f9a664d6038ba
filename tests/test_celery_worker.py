"""A real Celery worker on real Redis delivers an invitation to a real SMTP server.

Needs PostgreSQL (the worker process must see the test database) and Redis;
skipped locally without them, failing in CI (ITSMS_REQUIRE_SERVICES=1).
"""

import os
import re
import socket
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.conf import settings
from django.db import connection
from django.urls import reverse

from itsms.celery import app as celery_app
from itsms.models import Membership, Role
from itsms.tenancy import services

from .conftest import need_service, port_open
from .factories import MembershipFactory, OrganizationFactory, UserFactory


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_sink():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check cannot use 0)
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def redis_broker():
    url = os.environ.get("REDIS_URL", "")
    need_service(bool(url) and port_open(url, 6379), "Redis (REDIS_URL)")
    return url.rsplit("/", 1)[0] + "/15"  # a database of its own


@pytest.fixture
def worker_db():
    need_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _reset_connections():
    """Drop pooled broker connections (eager mode opens them too) so a new broker URL applies."""
    from kombu import pools

    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_worker_process(redis_broker, worker_db, smtp_sink, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "itsms.settings",
        "DATABASE_URL": worker_db,
        "CELERY_BROKER_URL": redis_broker,
        "REDIS_URL": redis_broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "ITSMS_VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itsms",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
        "broker_transport_options": celery_app.conf.broker_transport_options,
    }
    _reset_connections()
    celery_app.conf.update(
        task_always_eager=False, broker_url=redis_broker, broker_transport_options={}
    )
    yield worker
    celery_app.conf.update(**previous)
    _reset_connections()
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    print(output)  # shown when the test fails


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_invitation_through_smtp(celery_worker_process, smtp_sink, client):
    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    consultant = MembershipFactory(
        organization=org, user=UserFactory(email="li@northbridge.example"), role=Role.CONSULTANT
    ).user
    services.invitation_create(
        organization=org, actor=consultant, email="wang@ehbank.example", role=Role.ADMIN
    )
    deadline = time.monotonic() + 60
    while not smtp_sink.messages and time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the Celery worker died"
        time.sleep(0.2)
    assert len(smtp_sink.messages) == 1, "the worker did not send the invitation"
    message = smtp_sink.messages[0]
    assert message["To"] == "wang@ehbank.example"
    assert "Eastern Harbour Bank" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    path = re.search(r"/invitations/[\w-]+/", body).group(0)

    new_user = client.post(
        path,
        {"full_name": "Wang Wei", "password1": "pw-4-Wang-Wei!", "password2": "pw-4-Wang-Wei!"},
    )
    assert new_user.status_code == 302
    assert Membership.objects.get(organization=org, user__email="wang@ehbank.example").role == (
        Role.ADMIN
    )
    assert (
        reverse("itsms:organization_detail", kwargs={"org_slug": org.slug}) == new_user["Location"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_reminder_scan_and_sends_each_reminder_once(
    celery_worker_process, smtp_sink
):
    from datetime import timedelta

    from certification import services as cert_services
    from certification.models import Reminder
    from certification.tasks import scan_reminders

    org = OrganizationFactory(name="Eastern Harbour Bank", slug="eastern-harbour-bank")
    wang = MembershipFactory(
        organization=org, user=UserFactory(email="wang@ehbank.example"), role=Role.ADMIN
    ).user
    # Surveillance 1 falls due in 5 days: the "7 days before" reminder is due now.
    cert_services.certificate_record(
        organization=org,
        actor=wang,
        number="HX-1",
        scope="IT services",
        decision_date=org.local_today() - timedelta(days=360),
    )
    scan_reminders.delay()
    deadline = time.monotonic() + 60
    while not smtp_sink.messages and time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the Celery worker died"
        time.sleep(0.2)
    assert [m["To"] for m in smtp_sink.messages] == ["wang@ehbank.example"]
    assert "surveillance audit 1 due" in str(smtp_sink.messages[0]["Subject"])

    scan_reminders.delay()  # a second scan: nothing new, nothing sent twice
    time.sleep(3)
    assert len(smtp_sink.messages) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
