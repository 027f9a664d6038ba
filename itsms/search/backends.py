"""The full-text query on each database, over the same tokens (``analysis``).

- **SQLite** (embedded mode): an FTS5 table ``itsms_search_fts`` over the ``*_tokens`` columns
  (external content, kept in sync by triggers; the ``unicode61`` tokenizer splits our
  space-separated tokens), ranked by ``bm25`` with the title weighing 8× the body.
- **PostgreSQL**: the generated column ``search_vector`` (``to_tsvector('simple', …)`` of the
  same columns, title weight A, body B) with a GIN index, matched with ``to_tsquery`` and
  ranked by ``ts_rank``.

Both take the condition of the documents the user may see as Django-compiled SQL, and return
the best ``limit`` hits of each (organisation, kind) after ``offset``, with each group's total,
in one query (window functions).
"""

from __future__ import annotations

from django.db import connection

from .analysis import Term

FTS_TABLE = "itsms_search_fts"
TITLE_WEIGHT = 8.0

SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE itsms_search_fts USING fts5(title_tokens, body_tokens, "
    "content='itsms_searchdocument', content_rowid='id', tokenize='unicode61')",
    """CREATE TRIGGER itsms_search_fts_insert AFTER INSERT ON itsms_searchdocument BEGIN
        INSERT INTO itsms_search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens); END""",
    """CREATE TRIGGER itsms_search_fts_delete AFTER DELETE ON itsms_searchdocument BEGIN
        INSERT INTO itsms_search_fts(itsms_search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens); END""",
    """CREATE TRIGGER itsms_search_fts_update AFTER UPDATE ON itsms_searchdocument BEGIN
        INSERT INTO itsms_search_fts(itsms_search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
        INSERT INTO itsms_search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens); END""",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS itsms_search_fts_insert",
    "DROP TRIGGER IF EXISTS itsms_search_fts_delete",
    "DROP TRIGGER IF EXISTS itsms_search_fts_update",
    "DROP TABLE IF EXISTS itsms_search_fts",
]
POSTGRES_SETUP = [
    """ALTER TABLE itsms_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')) STORED""",
    "CREATE INDEX itsms_search_vector_gin ON itsms_searchdocument USING gin (search_vector)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS itsms_search_vector_gin",
    "ALTER TABLE itsms_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def setup_statements(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_SETUP, "postgresql": POSTGRES_SETUP}.get(vendor, [])


def teardown_statements(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_TEARDOWN, "postgresql": POSTGRES_TEARDOWN}.get(vendor, [])


def fts5_query(terms: list[Term]) -> str:
    """``("incid" OR "incidents"*) AND ("事件"*)`` — tokens are letters and digits only."""
    groups = []
    for term in terms:
        options = [f'"{token}"' for token in term.exact]
        if term.prefix:
            options.append(f'"{term.prefix}"*')
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def tsquery(terms: list[Term]) -> str:
    """``(incid | incidents:*) & (事件:*)`` for ``to_tsquery('simple', …)``."""
    groups = []
    for term in terms:
        options = list(term.exact)
        if term.prefix:
            options.append(f"{term.prefix}:*")
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


_COLUMNS = (
    "itsms_searchdocument.id, itsms_searchdocument.organization_id, o.slug, o.name, "
    "itsms_searchdocument.kind, itsms_searchdocument.object_id, itsms_searchdocument.parent_id, "
    "itsms_searchdocument.reference, itsms_searchdocument.title"
)
_WINDOW = (
    "ROW_NUMBER() OVER (PARTITION BY itsms_searchdocument.organization_id, "
    "itsms_searchdocument.kind ORDER BY {rank}, itsms_searchdocument.id) AS position, "
    "COUNT(*) OVER (PARTITION BY itsms_searchdocument.organization_id, "
    "itsms_searchdocument.kind) AS total"
)


# Every piece of SQL below is a constant of this module; the query's words, the user's
# organisations and every other value travel as parameters.


def _outer(inner: str) -> str:
    columns = "id, organization_id, slug, name, kind, object_id, parent_id, reference, title"
    return (
        f"SELECT {columns}, rank, total FROM ({inner}) ranked "  # noqa: S608
        "WHERE position > %s AND position <= %s ORDER BY organization_id, kind, position"
    )


def ranked(terms: list[Term], where: tuple[str, list], offset: int, limit: int) -> list[tuple]:
    """The hits: ``(id, organization_id, slug, name, kind, object_id, parent_id, reference,
    title, rank, total)``, best first in each (organisation, kind); lower ``rank`` is better."""
    where_sql, where_params = where
    if connection.vendor == "postgresql":
        rank = "-ts_rank(itsms_searchdocument.search_vector, q.query)"
        inner = (
            f"SELECT {_COLUMNS}, {rank} AS rank, {_WINDOW.format(rank=rank)} "  # noqa: S608
            f"FROM itsms_searchdocument "
            f"JOIN itsms_organization o ON o.id = itsms_searchdocument.organization_id "
            f"CROSS JOIN to_tsquery('simple', %s) AS q(query) "
            f"WHERE itsms_searchdocument.search_vector @@ q.query AND ({where_sql})"
        )
        params = [tsquery(terms), *where_params]
    else:
        rank = "hits.rank"
        inner = (
            f"SELECT {_COLUMNS}, {rank} AS rank, {_WINDOW.format(rank=rank)} "  # noqa: S608
            f"FROM (SELECT rowid AS hit_id, bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS rank "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) hits "
            f"JOIN itsms_searchdocument ON itsms_searchdocument.id = hits.hit_id "
            f"JOIN itsms_organization o ON o.id = itsms_searchdocument.organization_id "
            f"WHERE ({where_sql})"
        )
        params = [fts5_query(terms), *where_params]
    with connection.cursor() as cursor:
        cursor.execute(_outer(inner), [*params, offset, offset + limit])
        return cursor.fetchall()
