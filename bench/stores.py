"""What the benchmarks share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4


@contextmanager
def fresh_schema(database_url: str | None, prefix: str) -> Iterator[str | None]:
    """Yield the URL of an empty PostgreSQL schema of its own, dropped afterwards
    (or None, for SQLite, when there is no URL)."""
    if not database_url:
        yield None
        return
    import psycopg

    schema = f"{prefix}_{uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield database_url + ("&" if "?" in database_url else "?") + f"schema={schema}"
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
