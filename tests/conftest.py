"""Shared fixtures: two organisations A and B, a user per role, real-service helpers."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

from itsms.models import Role

from .factories import MembershipFactory, OrganizationFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Set by .ci/run: a test whose service is missing fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("ITSMS_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need_service(available: bool, what: str):
    """Skip locally when ``what`` is missing; fail in CI (ITSMS_REQUIRE_SERVICES=1)."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} not available")


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; ``playwright install`` cannot download a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium_available():
    need_service(bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)), "Chromium")


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Alpha Bank", slug="alpha-bank")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(
        name="SECRETB Harbour", slug="secretb-harbour", scope="SECRETB scope"
    )


@pytest.fixture
def members(org_a):
    """One user per role in organisation A: members["admin"] etc."""
    return {
        role: MembershipFactory(
            organization=org_a,
            user=UserFactory(email=f"{role}@alpha.example", full_name=f"Alpha {role}"),
            role=role,
        ).user
        for role in Role.values
    }


@pytest.fixture
def consultant(members):
    return members[Role.CONSULTANT]


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.com")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def pytest_collection_modifyitems(config, items):
    """A PostgreSQL run leaves out the tests of SQLite's own backend (``sqlite_backend``):
    deselected, not skipped; ``.ci/run`` runs them on SQLite after the main run."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    kept = [item for item in items if item.get_closest_marker("sqlite_backend") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
