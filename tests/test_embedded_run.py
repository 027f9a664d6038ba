"""The README's run command: migrate, seed, web + a real Celery worker and beat, Ctrl-C stops all.

Runs ``manage.py run_embedded`` (what ``bin/run`` executes) in its own process
group on a free port with a fresh SQLite database and filesystem broker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def embedded(tmp_path):
    port = free_port()
    drop = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="itsms.settings",
        ITSMS_VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run_embedded", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield {"process": process, "port": port, "log": log, "env": env}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        print(log.read_text())


def manage(env, *args):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_the_run_command_serves_runs_a_worker_and_stops_on_ctrl_c(embedded):
    log, port, env = embedded["log"], embedded["port"], embedded["env"]
    wait_for(lambda: "Press Ctrl-C to stop" in log.read_text(), 120, "the start-up banner")
    banner = log.read_text()
    assert f"http://127.0.0.1:{port}/" in banner
    for role in ("consultant", "admin", "contributor", "auditor", "viewer"):
        assert role in banner
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as response:  # noqa: S310
        assert response.status == 200

    # Seeding again adds nothing.
    assert "0 rows created" in manage(env, "seed_demo")

    # A task queued through the filesystem broker is run by the real worker (email printed).
    manage(
        env,
        "shell",
        "-c",
        "from itsms.tenancy import services; from itsms.models import *;"
        "org = Organization.objects.get(slug='eastern-harbour-bank');"
        "li = User.objects.get(email='li@northbridge.example');"
        "services.invitation_create(organization=org, actor=li,"
        " email='newcomer@ehbank.example', role='viewer')",
    )
    wait_for(lambda: "To: newcomer@ehbank.example" in log.read_text(), 60, "the worker's email")
    # kombu's exchange tables stay under the var directory, never in the checkout.
    control = os.path.join(env["ITSMS_VAR_DIR"], "broker", "control")
    assert any(name.endswith(".exchange") for name in os.listdir(control)), control

    os.killpg(embedded["process"].pid, signal.SIGINT)  # what Ctrl-C sends to the terminal
    embedded["process"].wait(timeout=30)
    assert "Stopped web server, Celery worker and beat." in log.read_text()
    with pytest.raises(ProcessLookupError):
        os.killpg(embedded["process"].pid, 0)  # no process of the group is left
