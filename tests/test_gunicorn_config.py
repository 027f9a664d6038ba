"""Web workers stay bounded in memory: every production command uses gunicorn.conf.py, which
recycles workers (max requests with jitter) and replaces one that has grown past its limit."""

import runpy
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def config():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


class Worker(SimpleNamespace):
    def __init__(self):
        super().__init__(alive=True, log=SimpleNamespace(info=lambda *a: None))


def test_a_worker_past_its_memory_limit_is_replaced_after_its_request():
    conf = config()
    hook = conf["post_request"]
    globals_ = hook.__globals__
    limit = conf["WORKER_MAX_RSS_MB"]
    small, big = Worker(), Worker()
    globals_["resident_mb"] = lambda: limit - 1
    hook(small, None, {}, None)
    globals_["resident_mb"] = lambda: limit + 1
    hook(big, None, {}, None)
    assert small.alive and not big.alive


def test_workers_are_recycled_with_jitter_and_the_process_reads_its_own_memory():
    conf = config()
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert 0 < conf["resident_mb"]() < 10_000  # this test process, in MB


def test_every_production_command_uses_the_gunicorn_settings():
    assert '"--config", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    assert "--config gunicorn.conf.py" in (ROOT / "docker-compose.yml").read_text()
    embedded = (ROOT / "itsms/management/commands/run_embedded.py").read_text()
    assert '"gunicorn.conf.py"' in embedded and '"--config"' in embedded
