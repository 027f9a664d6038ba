"""The embedded default in one command: migrate, seed, web + Celery worker + beat.

Ctrl-C (or SIGTERM) stops all three.
"""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from itsms.tenancy.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Run the product on its embedded default (SQLite, filesystem broker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, host, port, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        bindir = os.path.dirname(sys.executable)
        celery = os.path.join(bindir, "celery")
        commands = {
            "web": [
                os.path.join(bindir, "gunicorn"),
                "itsms.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
            ],
            "worker": [
                celery,
                "-A",
                "itsms",
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
        self._banner(host, port)
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

    def _banner(self, host, port):
        url = f"http://{host}:{port}/"
        lines = [
            "",
            "ITSMS Workbench is running (SQLite, Celery worker and beat on the filesystem broker).",
            f"  Open {url}",
            f"  Demo users (password for all: {DEMO_PASSWORD}):",
        ]
        for email, name, roles in USERS:
            role_list = ", ".join(f"{role} of {slug}" for slug, role in roles.items())
            lines.append(f"    {email:<26} {name:<10} {role_list}")
        lines.append(
            f"    {'admin@workbench.example':<26} site admin (Django admin at {url}admin/)"
        )
        lines.append("  Emails (invitations) are printed by the Celery worker below.")
        lines.append("  Press Ctrl-C to stop.")
        lines.append("")
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
