"""In CI the suite runs against the real services, not the embedded fallbacks."""

import os

from django.db import connection

from .conftest import need_service, port_open


def test_the_suite_runs_on_postgresql_when_configured():
    need_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    assert os.environ["DATABASE_URL"].startswith("postgres")


def test_redis_answers_when_configured():
    url = os.environ.get("REDIS_URL", "")
    need_service(bool(url) and port_open(url, 6379), "Redis (REDIS_URL)")
    import redis

    assert redis.Redis.from_url(url).ping()
