"""The product in production shape: gunicorn with one worker, started and stopped by the bench."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wsgi_target(wsgi_application: str) -> str:
    """``itsms.wsgi.application`` (the WSGI_APPLICATION setting) → ``itsms.wsgi:application``."""
    module, _, name = wsgi_application.rpartition(".")
    return f"{module}:{name}"


class Server:
    """gunicorn from the repository root, so a ``gunicorn.conf.py`` there applies as in
    production; one sync worker on loopback; its output goes to ``log_path``."""

    def __init__(self, *, env: dict, wsgi_application: str, log_path: Path):
        self.env = env
        self.port = free_port()
        self.wsgi = wsgi_target(wsgi_application)
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.wsgi,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            # A slow page must be measured, not killed (production's default is 30 s).
            "--timeout",
            "300",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + "/accounts/login/", timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        """The master's children: the worker (a new pid when gunicorn recycled it)."""
        pid = self.process.pid
        path = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def worker_memory(self) -> dict:
        """VmRSS (now) and VmHWM (peak) of the worker, in MB, from ``/proc/<pid>/status``."""
        pids = self.worker_pids()
        if not pids:
            return {}
        values = {"pid": pids[0]}
        for line in Path(f"/proc/{pids[0]}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
        return values

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def server_env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(extra)
    return env
