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
import urllib.error
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
    wait_for(lambda: "Press Ctrl-C to stop" in log.read_text(), 300, "the start-up banner")
    time.sleep(3)
    banner = log.read_text()
    assert f"http://127.0.0.1:{port}/" in banner
    # The banner comes last and the start-up is quiet: nothing after it, no child's banner.
    assert banner.rstrip().endswith("Press Ctrl-C to stop."), banner
    for noise in ("celery@", "[INFO]", "AXES:", "SecurityWarning", "No hostname was supplied"):
        assert noise not in banner, noise
    for role in ("consultant", "admin", "contributor", "auditor", "viewer"):
        assert role in banner
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as response:  # noqa: S310
        assert response.status == 200

    # Seeding again adds nothing.
    assert "Demo data ready" in banner and "records added now" in banner
    assert "nothing to add, it was already there" in manage(env, "seed_demo")

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
    email = log.read_text().split("To: newcomer@ehbank.example", 1)[1]
    # Printed as a person reads it: the Chinese subject decoded, the link on the bound port.
    assert "Subject: 邀请您加入 ITSMS Workbench 上的 Eastern Harbour Bank" in email, email
    assert "=?utf-8?" not in email
    assert f"http://127.0.0.1:{port}/invitations/" in email

    # A refused or missing page is one line in the console, not a traceback.
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/")  # noqa: S310
    wait_for(lambda: "Not Found: /no-such-page/" in log.read_text(), 30, "the 404 line")
    assert "Traceback" not in log.read_text()
    # kombu's exchange tables stay under the var directory, never in the checkout.
    control = os.path.join(env["ITSMS_VAR_DIR"], "broker", "control")
    assert any(name.endswith(".exchange") for name in os.listdir(control)), control

    os.killpg(embedded["process"].pid, signal.SIGINT)  # what Ctrl-C sends to the terminal
    embedded["process"].wait(timeout=30)
    assert "Stopped web server, Celery worker and beat." in log.read_text()
    with pytest.raises(ProcessLookupError):
        os.killpg(embedded["process"].pid, 0)  # no process of the group is left


def test_the_site_address_follows_the_bound_address():
    from itsms.management.commands.run_embedded import allowed_hosts, site_address

    assert site_address("127.0.0.1", 9000) == "http://127.0.0.1:9000"
    assert site_address("192.0.2.7", "8080") == "http://192.0.2.7:8080"
    assert site_address("::1", 8000) == "http://[::1]:8000"
    any_address = "0." * 3 + "0"  # the wildcard bind
    wildcard = site_address(any_address, 8000)
    assert wildcard == f"http://{socket.getfqdn()}:8000" and any_address not in wildcard  # noqa: S104
    assert "192.0.2.7" in allowed_hosts("http://192.0.2.7:8080").split(",")
    assert "[::1]" in allowed_hosts("http://[::1]:8000").split(",")
