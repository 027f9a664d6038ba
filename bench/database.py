"""Where the bench's own database lives, its cache manifest, and throw-away copies of it.

SQLite (the default): ``bench/var/sqlite-<scale>/db.sqlite3``. PostgreSQL when
``DATABASE_URL`` names a PostgreSQL server: the database ``<name>_bench_<scale>`` on that
server, created beside the one the URL names (which is never touched). Evidence files live in
``bench/var/<place>/media``. The manifest (which data set was built, and the ids the
measurements need) is a one-row table ``bench_manifest`` inside the bench database itself.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

BENCH_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BENCH_VAR_DIR", BENCH_DIR / "var"))
MANIFEST_TABLE = "bench_manifest"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "psql")


@dataclass(frozen=True)
class Place:
    vendor: str  # "sqlite" or "postgresql"
    url: str  # DATABASE_URL of the bench database
    data_dir: Path
    admin_url: str = ""  # PostgreSQL: the database of DATABASE_URL, to create and drop ours

    @property
    def media_root(self) -> Path:
        return self.data_dir / "media"

    @property
    def name(self) -> str:
        if self.vendor == "sqlite":
            return str(self.data_dir / "db.sqlite3")
        return urlsplit(self.url).path.lstrip("/")

    def with_name(self, name: str) -> Place:
        """The same server, another database (a throw-away copy)."""
        if self.vendor == "sqlite":
            url = f"sqlite:///{self.data_dir / name}"
        else:
            url = urlunsplit(urlsplit(self.url)._replace(path="/" + name))
        return Place(self.vendor, url, self.data_dir, self.admin_url)

    @property
    def file(self) -> Path:
        return Path(urlsplit(self.url).path) if self.vendor == "sqlite" else Path()


def locate(scale_name: str, database_url: str | None = None) -> Place:
    database_url = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(database_url).scheme if database_url else ""
    if scheme in POSTGRES_SCHEMES:
        config = environ.Env.db_url_config(database_url)
        name = f"{config['NAME']}_bench_{scale_name}"
        url = urlunsplit(urlsplit(database_url)._replace(path="/" + name))
        host = f"{config.get('HOST') or 'local'}-{config.get('PORT') or 5432}"
        return Place("postgresql", url, VAR_DIR / f"pg-{host}-{name}", admin_url=database_url)
    data_dir = VAR_DIR / f"sqlite-{scale_name}"
    return Place("sqlite", f"sqlite:///{data_dir / 'db.sqlite3'}", data_dir)


def _pg_connect(url: str):
    import psycopg2

    config = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


def _pg_exists(place: Place, name: str) -> bool:
    conn = _pg_connect(place.admin_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        conn.close()


def _pg_admin(place: Place, *statements: str) -> None:
    conn = _pg_connect(place.admin_url)
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def read_manifest(place: Place) -> dict | None:
    """The manifest of the data set in ``place``, or None when there is none (yet)."""
    try:
        if place.vendor == "sqlite":
            if not place.file.exists():
                return None
            with sqlite3.connect(place.file) as conn:
                row = conn.execute(f"SELECT body FROM {MANIFEST_TABLE}").fetchone()  # noqa: S608
        else:
            if not _pg_exists(place, place.name):
                return None
            conn = _pg_connect(place.url)
            try:
                with conn.cursor() as cursor:
                    cursor.execute(f"SELECT body FROM {MANIFEST_TABLE}")  # noqa: S608
                    row = cursor.fetchone()
            finally:
                conn.close()
    except Exception:  # noqa: BLE001  (no table: a database without a finished build)
        return None
    return json.loads(row[0]) if row else None


def write_manifest(manifest: dict) -> None:
    """Store the manifest through Django's connection (the bench database is configured)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MANIFEST_TABLE} (body TEXT NOT NULL)")
        cursor.execute(f"DELETE FROM {MANIFEST_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MANIFEST_TABLE} (body) VALUES (%s)",  # noqa: S608
            [json.dumps(manifest, default=str)],
        )


def reset(place: Place) -> None:
    """An empty database and media folder at ``place`` (created when missing)."""
    shutil.rmtree(place.media_root, ignore_errors=True)
    place.media_root.mkdir(parents=True, exist_ok=True)
    if place.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{place.file}{suffix}").unlink(missing_ok=True)
        return
    _pg_admin(place, f'DROP DATABASE IF EXISTS "{place.name}" WITH (FORCE)')
    _pg_admin(place, f'CREATE DATABASE "{place.name}"')


def ensure(place: Place) -> None:
    place.data_dir.mkdir(parents=True, exist_ok=True)
    place.media_root.mkdir(parents=True, exist_ok=True)
    if place.vendor == "postgresql" and not _pg_exists(place, place.name):
        _pg_admin(place, f'CREATE DATABASE "{place.name}"')


def analyze() -> None:
    """Fresh planner statistics, as PostgreSQL's autovacuum (or SQLite's ``PRAGMA optimize``)
    would have them in production: the plans measured are the ones statistics lead to."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def copy(place: Place, name: str) -> Place:
    """A throw-away copy of the bench database (nothing may be connected to it meanwhile)."""
    target = place.with_name(name)
    drop(target)
    if place.vendor == "sqlite":
        with sqlite3.connect(place.file) as source, sqlite3.connect(target.file) as dest:
            source.backup(dest)
    else:
        _pg_admin(place, f'CREATE DATABASE "{target.name}" TEMPLATE "{place.name}"')
    return target


def drop(place: Place) -> None:
    if place.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{place.file}{suffix}").unlink(missing_ok=True)
    else:
        _pg_admin(place, f'DROP DATABASE IF EXISTS "{place.name}" WITH (FORCE)')
