"""The embedded default in one command: migrate, seed, web + Celery worker + beat.

The site address (``SITE_URL``, the base of links in emails) is the address it binds, unless
the environment sets one: ``--host 0.0.0.0 --port 9000`` sends links to this machine's name on
port 9000, not to 127.0.0.1:8000. The console stays readable: the children start quietly, the
banner comes last (once the web server answers and the worker is ready), then only what
happens (emails decoded, errors, a refused request in one line).

Ctrl-C (or SIGTERM) stops all three.
"""

import io
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from itsms.tenancy.demo import DEMO_PASSWORD, USERS


def site_address(host: str, port) -> str:
    """The address users reach the server at, from the one it binds: a wildcard bind
    (``0.0.0.0``, ``::``) is reached by this machine's name."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (naming the wildcard, not binding it)
        host = socket.getfqdn() or socket.gethostname() or "localhost"
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a name
    return f"http://{host}:{port}"


def allowed_hosts(site_url: str) -> str:
    """The settings' default hosts plus the site address's own."""
    from urllib.parse import urlparse

    name = urlparse(site_url).hostname or "localhost"
    name = f"[{name}]" if ":" in name else name
    hosts = list(dict.fromkeys([*settings.ALLOWED_HOSTS, name]))
    return ",".join(hosts)


class Command(BaseCommand):
    help = "Run the product on its embedded default (SQLite, filesystem broker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, host, port, **options):
        call_command("migrate", interactive=False, verbosity=0)
        seed = io.StringIO()
        call_command("seed_demo", stdout=seed)
        call_command("collectstatic", interactive=False, verbosity=0)
        site_url = os.environ.get("SITE_URL") or site_address(host, port)
        if not os.environ.get("SITE_URL"):
            # Management commands run beside it (an invitation from the shell) link here too.
            (Path(settings.VAR_DIR) / "site_url").write_text(site_url + "\n")
        ready_file = Path(settings.VAR_DIR) / "worker.ready"
        ready_file.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "SITE_URL": site_url,
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS") or allowed_hosts(site_url),
            "ITSMS_WORKER_READY_FILE": str(ready_file),
            # The worker prints emails to this terminal itself, not through its logger.
            "CELERY_WORKER_REDIRECT_STDOUTS": "false",
            # Celery warns, once per process, that root should not run a worker: the embedded
            # demo often runs as root on a fresh machine.
            "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
        }
        bindir = os.path.dirname(sys.executable)
        celery = os.path.join(bindir, "celery")
        commands = {
            "web": [
                os.path.join(bindir, "gunicorn"),
                "itsms.wsgi",
                # worker recycling (memory bound, max requests): the production settings
                "--config",
                str(Path(settings.BASE_DIR) / "gunicorn.conf.py"),
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            "worker": [
                celery,
                "-A",
                "itsms",
                "--quiet",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "2",
            ],
            "beat": [
                celery,
                "-A",
                "itsms",
                "--quiet",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        children = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}  # noqa: S603
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._wait_for_web(host, int(port), children["web"])
        self._wait_for_worker(ready_file, children["worker"])
        self._banner(site_url, seed.getvalue().strip())
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(
                        f"{name} stopped (exit {child.returncode}); stopping the rest."
                    )
                    stopping, exit_code = True, 1
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.time() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Stopped web server, Celery worker and beat.")
        sys.exit(exit_code)

    def _wait_for_web(self, host, port, web, timeout=30.0):
        deadline = time.time() + timeout
        while time.time() < deadline and web.poll() is None:
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)

    def _wait_for_worker(self, ready_file, worker, timeout=60.0):
        """Until the worker says it is ready (``itsms.celery`` touches the file)."""
        deadline = time.time() + timeout
        while time.time() < deadline and worker.poll() is None and not ready_file.exists():
            time.sleep(0.2)

    def _banner(self, site_url, seeded):
        url = site_url.rstrip("/") + "/"
        lines = [
            "",
            "ITSMS Workbench is running (SQLite, Celery worker and beat on the filesystem broker).",
            f"  Open {url}",
            f"  {seeded}",
            f"  Demo users (password for all: {DEMO_PASSWORD}):",
        ]
        for email, name, roles in USERS:
            role_list = ", ".join(f"{role} of {slug}" for slug, role in roles.items()) or (
                "outside auditor: reads the bank while assigned to its stage 2 audit"
            )
            lines.append(f"    {email:<26} {name:<10} {role_list}")
        lines.append(
            f"    {'admin@workbench.example':<26} site admin (Django admin at {url}admin/)"
        )
        lines.append(f"  Links in emails point to {url} (set SITE_URL to change it).")
        lines.append("  Emails (invitations, reminders, notifications) are printed below.")
        lines.append("  Press Ctrl-C to stop.")
        lines.append("")
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
