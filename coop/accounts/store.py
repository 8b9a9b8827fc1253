"""The account tables: passwords, sessions, invitations, failed sign-ins, API tokens
and the replies kept for idempotent API requests.

They live beside the event log, never in it: a password is not something a member
did, and a session must be ended for good, which an event log cannot do. SQLite file
``accounts.sqlite`` in the data dir by default; ``coop_accounts_*`` tables in the
PostgreSQL database when COOP_DATABASE_URL is set. Times are stored as seconds since
the epoch (UTC), so one set of statements serves both backends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from coop.application import StoreNotInitialised, StoreUnavailable
from coop.config import Settings

ACCOUNTS_FILE = "accounts.sqlite"
TABLES = ("passwords", "sessions", "invitations", "failures", "tokens", "idempotency")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS {passwords} (
        member_id TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        changed_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {sessions} (
        token_hash TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        started_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_sessions_member ON {sessions} (member_id)",
    """CREATE TABLE IF NOT EXISTS {invitations} (
        token_hash TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL,
        accepted_at DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_invitations_member ON {invitations} (member_id)",
    """CREATE TABLE IF NOT EXISTS {failures} (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        failed_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_failures_subject "
    "ON {failures} (scope, subject, failed_at)",
    # Personal API tokens (coop/accounts/tokens.py): only their SHA-256 is kept.
    """CREATE TABLE IF NOT EXISTS {tokens} (
        token_id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        member_id TEXT NOT NULL,
        name TEXT NOT NULL,
        hint TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_tokens_member ON {tokens} (member_id)",
    # API requests sent with an Idempotency-Key, and their first reply
    # (coop/accounts/idempotency.py).
    """CREATE TABLE IF NOT EXISTS {idempotency} (
        member_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        content_type TEXT,
        location TEXT,
        created_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (member_id, idem_key))""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_idempotency_created ON {idempotency} (created_at)",
)

NOT_INITIALISED = "the account store has no tables: run 'coop init' first"


class Cursor:
    """Run statements written with ``?`` markers and ``{table}`` names on either backend."""

    def __init__(self, raw: Any, tables: dict[str, str], marker: str) -> None:
        self.raw, self.tables, self.marker = raw, tables, marker

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement and return how many rows it changed."""
        self.raw.execute(sql.format(**self.tables).replace("?", self.marker), tuple(params))
        return self.raw.rowcount

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.run(sql, params)
        return list(self.raw.fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)
        return found[0] if found else None


class AccountStore:
    """Opens transactions on the account tables of one configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: Any = None
        self._lock = threading.Lock()
        if settings.backend == "postgres":
            schema = settings.postgres_params()["schema"]
            prefix = f'"{schema}".' if schema else ""
            self.tables = {name: f"{prefix}coop_accounts_{name}" for name in TABLES}
        else:
            self.tables = {name: f"coop_accounts_{name}" for name in TABLES}

    @property
    def path(self) -> Path:
        return self.settings.data_dir / ACCOUNTS_FILE

    def create_tables(self) -> None:
        """Create the tables if they are missing; only ``coop init`` calls this."""
        if self.settings.backend == "sqlite":
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path)) as conn:
                # WAL lets page views read while a sign-in writes.
                conn.execute("PRAGMA journal_mode=WAL")
        with self.transaction() as cur:
            for statement in _SCHEMA:
                cur.run(statement)

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Yield a cursor; commit when the block ends, roll back if it raises."""
        if self.settings.backend == "sqlite":
            with self._sqlite() as cur:
                yield cur
        else:
            with self._postgres() as cur:
                yield cur

    @contextmanager
    def _sqlite(self) -> Iterator[Cursor]:
        if not self.path.exists():
            raise StoreNotInitialised(f"no account store at {self.path}: run 'coop init' first")
        try:
            with closing(sqlite3.connect(self.path, timeout=10)) as conn:
                with conn:
                    yield Cursor(conn.cursor(), self.tables, "?")
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                raise StoreNotInitialised(NOT_INITIALISED) from None
            raise StoreUnavailable(f"the account store is busy or unreachable: {error}") from None

    @contextmanager
    def _postgres(self) -> Iterator[Cursor]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self._connection_pool().connection() as conn, conn.cursor() as raw:
                yield Cursor(raw, self.tables, "%s")
        except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
            raise StoreNotInitialised(NOT_INITIALISED) from None
        except (psycopg.OperationalError, PoolTimeout) as error:
            self._drop_broken()
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise StoreUnavailable(f"the account store is busy or unreachable: {first}") from None

    def _connection_pool(self) -> Any:
        # Opened on first use: most command-line commands never touch accounts.
        with self._lock:
            if self._pool is None:
                from psycopg_pool import ConnectionPool

                p = self.settings.postgres_params()
                self._pool = ConnectionPool(
                    kwargs={"dbname": p["dbname"], "host": p["host"], "port": p["port"],
                            "user": p["user"], "password": p["password"],
                            "connect_timeout": 5},
                    # Grows up to the configured pool size (COOP_DB_POOL_SIZE) under load.
                    min_size=1, max_size=self.settings.pool_size, timeout=5, open=True,
                )
            return self._pool

    def _drop_broken(self) -> None:
        """Check the idle pooled connections now: after a database restart every one of
        them is dead, and the next request should get a fresh one, not a 503 each."""
        import psycopg

        pool = self._pool
        if pool is not None:
            try:
                pool.check()
            except psycopg.Error:  # pragma: no cover - the database is down: later
                pass

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
