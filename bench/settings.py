"""Settings of the benchmark's web server: production settings, served over plain HTTP on loopback.

Everything production does stays on (DEBUG off, WhiteNoise with the manifest storage, CSP,
axes, throttling, persistent PostgreSQL connections). What changes, and why:

- the database and the media folder are the bench's own (``BENCH_DATABASE_URL``,
  ``BENCH_MEDIA_ROOT``, set by ``python -m bench``), never the product's;
- no HTTPS on loopback: no redirect, no HSTS, cookies not marked secure;
- the API throttle is raised so that ~2,000 timed requests per hour are not refused (the
  throttle still runs: its cost is part of every API timing);
- Celery publishes to the in-memory broker: no worker runs during the benchmark;
- ``bench.middleware.QueryCountMiddleware`` (outermost) adds ``X-Bench-Queries`` to every
  response: the number of SQL statements the request ran, sessions and auth included.
"""

import importlib
import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("ALLOW_SQLITE_IN_PRODUCTION", "true")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://127.0.0.1")  # production requires it (links in emails)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
if os.environ.get("BENCH_MEDIA_ROOT"):
    os.environ["MEDIA_ROOT"] = os.environ["BENCH_MEDIA_ROOT"]

_production = importlib.import_module(
    os.environ.get("BENCH_BASE_SETTINGS", "itsms.settings.production")
)
globals().update({name: getattr(_production, name) for name in dir(_production) if name.isupper()})

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F821  (copied from the production settings above)
    "DEFAULT_THROTTLE_RATES": {"user": "1000000/hour"},
}
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F821
LOGGING = {
    **LOGGING,  # noqa: F821
    "root": {"handlers": ["console"], "level": "WARNING"},
}
