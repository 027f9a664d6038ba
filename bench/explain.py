"""``--explain``: the query plans of the hot paths, after ANALYZE, with full scans of big tables
flagged (point 3 of issue 13: queries that do not depend on planner luck).

The statements are captured from the real code paths (pages requested in-process with Django's
test client, the reminder scan run as beat runs it), so the report follows the code wherever it
moves. SQLite: ``EXPLAIN QUERY PLAN``; PostgreSQL: ``EXPLAIN``. A table is big from
``BIG_TABLE_ROWS`` rows; a plan that reads all of one (``SCAN t`` without an index on SQLite, an
automatic index SQLite builds per query, ``Seq Scan`` on PostgreSQL) is flagged ``!!``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection

BIG_TABLE_ROWS = 5_000
ALIAS = re.compile(r'"(\w+)" ([A-Z]\d+)\b')
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: USING (COVERING )?INDEX (\w+))?")
SQLITE_AUTO = re.compile(r"^(?:SEARCH|SCAN) (\w+) USING AUTOMATIC")
PG_SCAN = re.compile(r"Seq Scan on (\w+)(?: (\w+))?")


@dataclass
class Statement:
    sql: str
    params: tuple
    times: int = 1


@dataclass
class Captured:
    statements: dict = field(default_factory=dict)  # sql -> Statement
    total: int = 0


@contextmanager
def capture():
    """Collect every statement (SQL with placeholders and its first parameters)."""
    captured = Captured()

    def wrapper(execute, sql, params, many, context):
        captured.total += 1
        found = captured.statements.get(sql)
        if found:
            found.times += 1
        else:
            captured.statements[sql] = Statement(sql, tuple(params or ()) if not many else ())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield captured


class Explainer:
    def __init__(self, min_rows: int = BIG_TABLE_ROWS):
        self.min_rows = min_rows
        self.sizes: dict[str, int] = {}
        self.flagged: list[tuple[str, str]] = []  # (source, message)
        self.certificate_table = apps.get_model("certification", "Certificate")._meta.db_table

    def size(self, table: str) -> int:
        if table not in self.sizes:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                self.sizes[table] = cursor.fetchone()[0]
        return self.sizes[table]

    def plan(self, statement: Statement) -> list[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + statement.sql, statement.params)
                rows = cursor.fetchall()
                depth = {0: -1}
                lines = []
                for node, parent, _, detail in rows:
                    depth[node] = depth.get(parent, -1) + 1
                    lines.append("  " * depth[node] + detail)
                return lines
            cursor.execute("EXPLAIN " + statement.sql, statement.params)
            return [row[0] for row in cursor.fetchall()]

    def full_scans(self, sql: str, lines: list[str]) -> list[str]:
        tables = {t.lower(): t for t in TABLE.findall(sql)}
        tables.update({alias.lower(): table for table, alias in ALIAS.findall(sql)})
        found = []
        for line in lines:
            text = line.strip()
            if connection.vendor == "sqlite":
                auto, scan = SQLITE_AUTO.match(text), SQLITE_SCAN.match(text)
                if auto:
                    name, kind = auto.group(1), "automatic index built by a full scan"
                elif scan and not scan.group(3):
                    name, kind = scan.group(1), "full scan"
                elif scan:
                    name, kind = scan.group(1), f"full scan of index {scan.group(3)}"
                else:
                    continue
            else:
                scan = PG_SCAN.search(text)
                if not scan:
                    continue
                name, kind = scan.group(1), "Seq Scan"
            table = tables.get(name.lower())
            if table and self.size(table) >= self.min_rows:
                found.append(f"{kind} of {table} ({self.size(table):,} rows)")
        return found

    def report(self, source: str, captured: Captured, out=print) -> None:
        selects = [
            s for s in captured.statements.values() if s.sql.lstrip().upper().startswith("SELECT")
        ]
        out(f"\n== EXPLAIN {source}: {captured.total} statements, {len(selects)} distinct SELECTs")
        for statement in selects:
            try:
                lines = self.plan(statement)
            except Exception as exc:  # noqa: BLE001  (report, do not stop the others)
                out(f"  ?? could not explain: {exc}")
                continue
            scans = self.full_scans(statement.sql, lines)
            mark = "!!" if scans else "  "
            times = f" ×{statement.times}" if statement.times > 1 else ""
            out(f"{mark} {_short(statement.sql)}{times}")
            for line in lines:
                out(f"     {line}")
            for scan in scans:
                out(f"   !! {scan}")
                certificate = f'"{self.certificate_table}"'
                join = (
                    " (certificate-successor join)" if statement.sql.count(certificate) > 1 else ""
                )
                self.flagged.append((source, scan + join))

    def summary(self, out=print) -> None:
        out(f"\n== EXPLAIN summary: big tables are those of at least {self.min_rows:,} rows")
        if not self.flagged:
            out("  no full scan of a big table on the hot paths")
        seen: dict[tuple[str, str], int] = {}
        for flag in self.flagged:
            seen[flag] = seen.get(flag, 0) + 1
        for (source, message), times in seen.items():
            out(f"  !! {source}: {message}" + (f" (in {times} statements)" if times > 1 else ""))


def _short(sql: str, width: int = 150) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 1] + "…"
