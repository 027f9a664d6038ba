"""Production settings pass Django's deployment checks; the embedded default needs nothing."""

import os
import subprocess
import sys

from django.conf import settings

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "itsms.settings.production",
    "SECRET_KEY": "k" * 20 + "Zx9!pQ7@wL3#vB5$nM1%" + "r" * 30,
    "ALLOWED_HOSTS": "itsms.example.org",
    "DATABASE_URL": "postgres://itsms:secret@db:5432/itsms",
    "REDIS_URL": "redis://redis:6379/0",
    "SITE_URL": "https://itsms.example.org",
}


def manage(*args, env):
    dropped = ("DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_site_url():
    """Links in emails are built from SITE_URL: production has no default for it."""
    env = {k: v for k, v in PROD_ENV.items() if k != "SITE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_a_site_url_that_is_not_an_absolute_address_fails_the_check():
    result = manage("check", env={**PROD_ENV, "SITE_URL": "itsms.example.org"})
    assert result.returncode != 0
    assert "itsms.E001" in result.stderr and "SITE_URL" in result.stderr


def test_production_refuses_sqlite():
    env = {**PROD_ENV}
    env.pop("DATABASE_URL")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_the_embedded_default_uses_sqlite_and_the_filesystem_broker():
    env = {"DJANGO_SETTINGS_MODULE": "itsms.settings"}
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env[key] = ""
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "itsms.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "django.db.backends.sqlite3 filesystem://" in result.stdout, result.stderr
