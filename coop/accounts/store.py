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
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from coop.accounts import migrations
from coop.application import StoreNotInitialised, StoreUnavailable
from coop.config import Settings
from domain.errors import first_line
from projections.leader import advisory_key

ACCOUNTS_FILE = "accounts.sqlite"
# "migrations" records which versions of these tables were applied (migrations.py).
TABLES = ("passwords", "sessions", "invitations", "failures", "tokens", "idempotency",
          "migrations")
# How long ``coop init`` waits for another one migrating the same store.
MIGRATION_LOCK_SECONDS = 60

NOT_INITIALISED = "the account store has no tables: run 'coop init' first"

# While PostgreSQL is down a request waits this long for a pooled connection, then is
# a 503: waiting 5 s kept every web worker busy through an outage, so even a page read
# queued for its 503 (tests/integration/test_postgres_restart.py). A failing
# reconnection is given up after a second, so the next request tries afresh instead of
# waiting out the pool's doubling pauses (as the event store's pool: coop/application.py).
POOL_WAIT_SECONDS = 1.0
RECONNECT_GIVE_UP_SECONDS = 1.0


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
        self._checked = False  # the tables' version, once per process (check_version)
        if settings.backend == "postgres":
            schema = settings.postgres_params()["schema"]
            prefix = f'"{schema}".' if schema else ""
            self.tables = {name: f"{prefix}coop_accounts_{name}" for name in TABLES}
        else:
            self.tables = {name: f"coop_accounts_{name}" for name in TABLES}

    @property
    def path(self) -> Path:
        return self.settings.data_dir / ACCOUNTS_FILE

    def upgrade(self) -> migrations.Upgrade:
        """Create the tables, or bring them to this code's version; only ``coop init``
        calls this. Safe to run again, and from several hosts at once."""
        if self.settings.backend == "sqlite":
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self._use_wal()
        done = migrations.upgrade(self)
        self._checked = True
        return done

    def _use_wal(self) -> None:
        """Put the SQLite file in WAL mode, which lets page views read while a sign-in
        writes. The switch needs the file to itself and SQLite answers "locked" at
        once, without waiting, while another ``coop init`` migrates it: so wait here."""
        deadline = time.monotonic() + MIGRATION_LOCK_SECONDS
        with closing(sqlite3.connect(self.path)) as conn:
            while True:
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise StoreUnavailable(
                            f"the account store could not be upgraded: {error}") from None
                    time.sleep(0.05)

    def check_version(self) -> None:
        """Refuse (StoreNotInitialised) unless the tables are at this code's version.

        Checked once per process, on first use: workers never create or change
        tables, and an upgrade is followed by a restart of the workers. A refusal
        is not remembered, so a worker recovers by itself once 'coop init' has run.
        """
        if not self._checked:
            migrations.check(self)
            self._checked = True

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Yield a cursor; commit when the block ends, roll back if it raises."""
        self.check_version()
        with self.unchecked() as cur:
            yield cur

    @contextmanager
    def unchecked(self) -> Iterator[Cursor]:
        """A transaction without the version check (for the check itself)."""
        if self.settings.backend == "sqlite":
            with self._sqlite() as cur:
                yield cur
        else:
            with self._postgres() as cur:
                yield cur

    @contextmanager
    def migrating(self) -> Iterator[Cursor]:
        """Yield a cursor in a transaction that holds the store to itself, for one
        migration and its record: another ``coop init`` waits until it commits."""
        if self.settings.backend == "postgres":
            import psycopg

            try:
                with self._postgres() as cur:
                    # PostgreSQL's DDL is transactional; the advisory lock (released
                    # at commit) makes a second init wait, then find the migration
                    # recorded.
                    cur.run(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_SECONDS}s'")
                    cur.run("SELECT pg_advisory_xact_lock(?)", [self._migration_lock_key()])
                    yield cur
            except psycopg.Error as error:
                raise StoreUnavailable(
                    f"the account store could not be upgraded: {first_line(error)}") from None
            return
        # Python's sqlite3 commits before DDL of its own accord unless it is told
        # nothing: isolation_level=None and an explicit BEGIN IMMEDIATE, which also
        # takes the write lock at once, keep the migration and its record together.
        try:
            with closing(sqlite3.connect(self.path, timeout=MIGRATION_LOCK_SECONDS,
                                         isolation_level=None)) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield Cursor(conn.cursor(), self.tables, "?")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreUnavailable(
                f"the account store could not be upgraded: {error}") from None

    def _migration_lock_key(self) -> int:
        """Return a signed 64-bit advisory-lock key, one per PostgreSQL schema."""
        schema = self.settings.postgres_params()["schema"] or "public"
        return advisory_key(f"coop-accounts-migrations:{schema}")

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
            raise StoreUnavailable(f"the account store is busy or unreachable: {first_line(error)}") from None

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
                    min_size=1, max_size=self.settings.pool_size, open=True,
                    timeout=POOL_WAIT_SECONDS, reconnect_timeout=RECONNECT_GIVE_UP_SECONDS,
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
