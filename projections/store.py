"""Where read models live: an SQLite file, or the PostgreSQL schema of the events.

A small adapter so that projection SQL is written once: templates name tables as
``{table}`` (a projection's logical table name, mapped to the physical one, which a
rebuild swaps for fresh tables) and parameters as ``?`` (rewritten to ``%s`` for
psycopg). No ORM; ids are TEXT, hours, money and times are integers (exact, and
compared the same way on both databases).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.errors import CoopError, first_line
from projections.pg_copy import COPY_FROM, copyable, copy_rows

TABLE_PREFIX = "rm_"
# Long enough for a rebuild's swap or a big batch of another projector to finish.
LOCK_TIMEOUT_SECONDS = 30
# SQLite's page cache per connection, in KiB.
CACHE_KIB = 65536
CHECKPOINT_PAGES = 10_000
# IN (...) lists are cut to this many keys so no statement grows without bound.
IN_CHUNK = 500


class ReadModelsNotInitialised(CoopError):
    """The read-model tables do not exist yet."""


class ReadModelsUnavailable(CoopError):
    """The read-model database is busy or unreachable."""


@dataclass(frozen=True)
class StoreParams:
    """How to reach the read-model database; built by the composition root."""

    sqlite_path: Path | None = None
    postgres: Mapping[str, str] = field(default_factory=dict)  # dbname, host, port, user, password, schema

    @property
    def dialect(self) -> str:
        return "postgres" if self.postgres else "sqlite"


class Tx:
    """One transaction on the read models, with table names resolved through ``names``."""

    def __init__(self, store: ReadModelStore, conn: Any, names: Mapping[str, str]) -> None:
        self.store, self.conn, self.names = store, conn, names

    def table(self, name: str) -> str:
        return self.names.get(name) or self.store.physical(name)

    def sql(self, template: str) -> str:
        return self.store.compile(template, self.names)

    def execute(self, template: str, params: Sequence[Any] = ()) -> int:
        """Run one statement and return how many rows it changed."""
        cur = self.conn.execute(self.sql(template), tuple(params))
        return cur.rowcount

    def executemany(self, template: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row (on PostgreSQL, many rows go by COPY)."""
        if not rows:
            return
        sql = self.sql(template)
        if self.store.dialect == "postgres" and len(rows) >= COPY_FROM:
            copy = copyable(sql, rows)
            if copy:
                copy_rows(self.conn, *copy, rows)
                return
        self.conn.cursor().executemany(sql, rows)

    def fetchall(self, template: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.execute(self.sql(template), tuple(params)).fetchall()]

    def fetch_in(self, template: str, keys: Sequence[Any],
                 params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Return the rows of ``template`` whose ``{keys}`` list takes each key in turn.

        ``template`` holds ``IN ({keys})``; ``params`` come before the keys.
        """
        rows: list[tuple[Any, ...]] = []
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), IN_CHUNK):
            chunk = unique[i:i + IN_CHUNK]
            sql = template.replace("{keys}", ",".join("?" * len(chunk)))
            rows += self.fetchall(sql, [*params, *chunk])
        return rows


class ReadModelStore:
    """Connections (one per thread, opened lazily: safe after a fork) and transactions."""

    def __init__(self, params: StoreParams) -> None:
        self.params = params
        self.dialect = params.dialect
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()
        self._compiled: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
        if self.dialect == "postgres":
            import psycopg  # only the PostgreSQL configuration needs the driver

            self._pg = psycopg
            self._errors: tuple[type[Exception], ...] = (psycopg.Error,)
        else:
            self._errors = (sqlite3.Error,)

    # -- names and SQL ------------------------------------------------------------
    def physical(self, name: str) -> str:
        return f"{TABLE_PREFIX}{name}"

    def compile(self, template: str, names: Mapping[str, str]) -> str:
        key = (template, tuple(sorted(names.items())))
        sql = self._compiled.get(key)
        if sql is None:
            sql = _TableNames(self, names).format(template)
            if self.dialect == "postgres":
                sql = sql.replace("?", "%s")
            if len(self._compiled) > 20_000:  # each rebuild brings new table names
                self._compiled.clear()
            self._compiled[key] = sql
        return sql

    # -- connections --------------------------------------------------------------
    def _connect(self, *, create: bool = False) -> Any:
        if self.dialect == "postgres":
            p = self.params.postgres
            # The events' schema (the library's default is public).
            options = (f"-c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000} "
                       f"-c search_path={p.get('schema') or 'public'}")
            return self._pg.connect(
                dbname=p["dbname"], host=p["host"], port=p["port"], user=p["user"],
                password=p.get("password") or None, connect_timeout=5, options=options,
                autocommit=True,
            )
        path = self.params.sqlite_path
        assert path is not None
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise ReadModelsNotInitialised(f"no read models at {path}: run 'coop init' first")
        # mode=rw: never create an empty file by merely reading.
        uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                               timeout=LOCK_TIMEOUT_SECONDS, check_same_thread=False)
        if create:
            conn.execute("PRAGMA journal_mode=WAL")  # persists in the file
        # Read models can always be rebuilt from the log, so NORMAL durability is enough.
        conn.execute("PRAGMA synchronous=NORMAL")
        # Pages are taken only as they are used; a projector that is far behind or a
        # rebuild then keeps its indexes in memory instead of re-reading them.
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        # Checkpoint the WAL into the file less often than every 4 MB: a batch that
        # touches pages all over an index then costs one copy and fsync per few
        # batches instead of one per batch.
        conn.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
        return conn

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
            except self._errors as error:
                raise self._translate(error) from None
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            try:
                conn.close()
            except self._errors:  # pragma: no cover - closing a broken connection
                pass
        self._local = threading.local()

    # -- transactions -------------------------------------------------------------
    @contextmanager
    def transaction(self, *, write: bool = True,
                    names: Mapping[str, str] | None = None) -> Iterator[Tx]:
        """Yield a transaction: committed if the block ends normally, else rolled back.

        Writes on SQLite take the database's write lock at the start (BEGIN
        IMMEDIATE), so what the transaction reads is what it then writes over.
        Reads see one consistent snapshot on both databases.
        """
        conn = self._connection()
        try:
            if self.dialect == "postgres":
                with conn.transaction():
                    if not write:
                        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    yield Tx(self, conn, names or {})
            else:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield Tx(self, conn, names or {})
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except self._errors as error:
            self._recover(conn)
            translated = self._translate(error)
            if translated is error:
                raise
            raise translated from None

    def reading(self) -> Any:
        return self.transaction(write=False)

    def _recover(self, conn: Any) -> None:
        """Leave the connection usable (or drop it) after a failed transaction."""
        if self.dialect == "sqlite":
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        elif conn.closed or conn.broken:
            # Dropped (the server restarted or ended it): the next transaction of
            # this thread opens a fresh connection.
            self._local.conn = None
            with self._lock:
                self._opened = [c for c in self._opened if c is not conn]
            try:
                conn.close()
            except self._errors:  # pragma: no cover - closing a broken connection
                pass

    def _translate(self, error: Exception) -> Exception:
        text = str(error)
        if self.is_conflict(error):
            return error  # the caller decides what a lost race means
        missing = "no such table" in text or "unable to open database" in text
        if self.dialect == "postgres":
            missing = isinstance(error, self._pg.errors.UndefinedTable)
        if missing:
            return ReadModelsNotInitialised(
                "the read models have no tables (or an outdated set): run 'coop init' first"
            )
        if self.dialect == "postgres" and not isinstance(error, self._pg.OperationalError):
            return error
        if self.dialect == "sqlite" and not isinstance(error, sqlite3.OperationalError):
            return error
        return ReadModelsUnavailable(
            f"the read models are busy or unreachable: {first_line(error)}")

    def is_transient(self, error: BaseException) -> bool:
        """Return whether ``error`` is the database going away or busy, not a bug."""
        if self.dialect == "postgres":
            return isinstance(error, self._pg.OperationalError)
        return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)

    def is_conflict(self, error: BaseException) -> bool:
        if self.dialect == "postgres":
            return isinstance(error, self._pg.IntegrityError)
        return isinstance(error, sqlite3.IntegrityError)

    # -- schema -------------------------------------------------------------------
    def create_database(self) -> None:
        """Create the SQLite file (in WAL mode); PostgreSQL's database exists already."""
        if self.dialect == "sqlite":
            self._connect(create=True).close()

    def table_names(self, tx: Tx) -> set[str]:
        """Return the names of all tables with the read-model prefix."""
        if self.dialect == "postgres":
            rows = tx.fetchall("SELECT table_name FROM information_schema.tables "
                               "WHERE table_schema = current_schema()")
        else:
            rows = tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in rows if r[0].startswith(TABLE_PREFIX)}


class _TableNames(dict[str, str]):
    """Resolve ``{name}`` in a template: a mapped (rebuild) name, else the prefixed one."""

    def __init__(self, store: ReadModelStore, names: Mapping[str, str]) -> None:
        super().__init__(names)
        self.store = store

    def __missing__(self, key: str) -> str:
        return self.store.physical(key)

    def format(self, template: str) -> str:
        return template.format_map(self)
