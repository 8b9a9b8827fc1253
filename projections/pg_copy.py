"""Many rows to PostgreSQL by COPY, where that means what row-by-row INSERTs mean.

psycopg runs ``executemany`` one statement per row (pipelined); COPY sends the rows
as one stream, several times faster. An upsert goes through a scratch table: COPY
into it, then one INSERT ... SELECT with the statement's own ON CONFLICT clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# From this many rows on, PostgreSQL gets them by COPY rather than row by row.
COPY_FROM = 50
_INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\) VALUES \(([^)]*)\)(.*)", re.DOTALL)
_CONFLICT_KEY = re.compile(r"ON CONFLICT \(([^)]*)\) DO UPDATE")


def copyable(sql: str, rows: Sequence[Sequence[Any]]) -> tuple[str, str, str] | None:
    """Return (table, columns, ON CONFLICT clause) when COPY gives the same result as
    running ``sql`` row by row, else None.

    That is: an INSERT of plain parameters, one per column, and, for an upsert
    (DO UPDATE), no two rows with the same key: one INSERT ... SELECT may not
    update a row twice, where row by row it would.
    """
    insert = _INSERT.fullmatch(sql.strip())
    if not insert:
        return None
    table, columns, values, conflict = insert.groups()
    names = [c.strip() for c in columns.split(",")]
    if [v.strip() for v in values.split(",")] != ["%s"] * len(names):
        return None
    key = _CONFLICT_KEY.search(conflict)
    if key:
        keys = [k.strip() for k in key.group(1).split(",")]
        if not set(keys) <= set(names):
            return None
        at = [names.index(k) for k in keys]
        if len({tuple(row[i] for i in at) for row in rows}) != len(rows):
            return None
    return table, columns, conflict.strip()


def copy_rows(conn: Any, table: str, columns: str, conflict: str,
              rows: Sequence[Sequence[Any]]) -> None:
    """Write an INSERT's rows by COPY: straight into the table, or, for an upsert,
    into a scratch table first and from there through the INSERT's ON CONFLICT."""
    target = table
    if conflict:
        target = f"copy_{table}"
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table}) ON COMMIT DROP")
        conn.execute(f"TRUNCATE {target}")
    with conn.cursor().copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    if conflict:
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} {conflict}")
