"""gunicorn settings of every production command (Dockerfile, docker-compose, ``run_embedded``,
and the benchmark): read from the working directory, or passed with ``--config``.

Web workers stay bounded in memory (issue 13). Rendering a big PDF (WeasyPrint) grows a
worker's heap and Python does not give it back to the system, so:

- a worker whose resident memory passes ``GUNICORN_WORKER_MAX_RSS_MB`` (default 250 MB) after
  a request finishes that request and is replaced by a fresh one (``post_request`` below);
- every worker is also replaced after ``GUNICORN_MAX_REQUESTS`` requests (default 1,000, with
  a jitter of up to 100 so that workers do not restart together).

Measured by ``bin/bench`` (one worker, the audit report PDF of 600 findings 20 times): the
worker is replaced after the PDFs; its resident memory never stays above the limit plus
one request's growth.
"""

import os

max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
WORKER_MAX_RSS_MB = int(os.environ.get("GUNICORN_WORKER_MAX_RSS_MB", "250"))


def resident_mb() -> float:
    """This process's resident memory now (Linux ``/proc``; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def post_request(worker, req, environ, resp):
    """Replace a worker that has grown past the limit, once its request is answered."""
    rss = resident_mb()
    if WORKER_MAX_RSS_MB and rss > WORKER_MAX_RSS_MB and worker.alive:
        worker.log.info(
            "Worker at %.0f MB (limit %d MB): replaced after this request", rss, WORKER_MAX_RSS_MB
        )
        worker.alive = False
