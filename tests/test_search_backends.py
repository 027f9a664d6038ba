"""The full-text index on each database: FTS5 on SQLite (embedded mode), ``tsvector`` with a GIN
index on PostgreSQL (CI runs the suite on PostgreSQL; locally its tests skip)."""

import pytest
from django.db import connection

from itsms.search import analysis, backends
from tests.test_search import found, upload

from .conftest import need_service

pytestmark = pytest.mark.django_db


def need_postgres():
    need_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def need_sqlite():
    assert backends.FTS_TABLE == "itsms_search_fts"
    # Marked ``sqlite_backend``: a PostgreSQL run leaves it out (conftest) and .ci/run runs it
    # again on SQLite, so it never skips.
    assert connection.vendor == "sqlite", "run the sqlite_backend tests on SQLite"


@pytest.mark.sqlite_backend
def test_sqlite_answers_from_its_fts5_table(org_a, consultant):
    need_sqlite()
    upload(org_a, consultant, "事件管理程序", "How incidents are escalated")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM itsms_search_fts WHERE itsms_search_fts MATCH %s",
            [backends.fts5_query(analysis.query_terms("事件"))],
        )
        assert cursor.fetchone()[0] >= 2  # the evidence and clause 8.6.1 at least
        # Emptying the FTS table (not the documents) empties the answers: FTS5 does the work.
        cursor.execute("INSERT INTO itsms_search_fts(itsms_search_fts) VALUES ('delete-all')")
    assert found(consultant, "事件", org_a) == {}
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO itsms_search_fts(itsms_search_fts) VALUES ('rebuild')")
    assert found(consultant, "事件", org_a)["evidence"] == ["事件管理程序"]


def test_postgresql_has_the_generated_vector_and_its_gin_index():
    need_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'itsms_searchdocument' "
            "AND indexname = 'itsms_search_vector_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


def test_postgresql_finds_chinese_and_english_and_ranks_titles_first(org_a, org_b, consultant):
    need_postgres()
    upload(org_a, consultant, "事件管理程序", "处理和升级")
    upload(org_a, consultant, "Quarterly report", "mentions escalation once, in passing")
    upload(org_a, consultant, "Escalation matrix", "who is called when")
    upload(org_b, consultant, "事件管理 of B")
    assert found(consultant, "事件", org_a)["evidence"] == ["事件管理程序"]
    assert found(consultant, "事件管理", org_a)["clause"][0] == "8.6.1 Incident management"
    assert found(consultant, "escalated", org_a)["evidence"] == [
        "Escalation matrix",
        "Quarterly report",
    ]
    assert found(consultant, "incident management", org_a)["clause"][0] == (
        "8.6.1 Incident management"
    )


def test_postgresql_uses_the_gin_index(org_a, consultant):
    need_postgres()
    upload(org_a, consultant, "Incident procedure")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM itsms_searchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            [backends.tsquery(analysis.query_terms("incident"))],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "itsms_search_vector_gin" in plan
