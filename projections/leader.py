"""One active projector per projection, however many are started.

PostgreSQL: a session advisory lock per projection (``pg_try_advisory_lock``, its key
derived from the schema and the projection's name) held on a connection of its own.
SQLite: an exclusive ``flock`` on a file per projection in the data dir. Either way
the lock goes when its process dies (the connection closes, the file is released),
and a waiting projector takes it at its next poll.

Correctness never rests on this: the tracking row's compare-and-set already makes
every batch land exactly once. The lock only keeps standby projectors from doing the
same work twice and racing for it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Sequence
from typing import Any

from projections.store import StoreParams


def advisory_key(label: str) -> int:
    """Return the signed 64-bit PostgreSQL advisory-lock key for ``label``: every lock
    Coop takes (a projection, ``coop init``, a migration) is named by a label."""
    digest = hashlib.sha256(label.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_key(namespace: str, name: str) -> int:
    """Return the advisory-lock key for projection ``name`` within ``namespace``."""
    return advisory_key(f"coop-projector:{namespace}:{name}")


class Leadership:
    """Take and hold the locks of the projections this process is to run."""

    def __init__(self, params: StoreParams) -> None:
        self.params = params
        self._held: dict[str, Any] = {}  # name -> file object (SQLite) or key (PostgreSQL)
        self._conn: Any = None

    def take(self, names: Sequence[str]) -> list[str]:
        """Return the names, of ``names``, this process now holds the lock of."""
        if self.params.dialect == "postgres":
            self._take_postgres(names)
        else:
            self._take_files(names)
        return [n for n in names if n in self._held]

    # -- SQLite: lock files ---------------------------------------------------------
    def _take_files(self, names: Sequence[str]) -> None:
        assert self.params.sqlite_path is not None
        folder = self.params.sqlite_path.parent
        for name in names:
            if name in self._held:
                continue
            handle = open(folder / f"projector-{name}.lock", "a+")  # noqa: SIM115 - held open
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()  # another projector has it
                continue
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            self._held[name] = handle

    # -- PostgreSQL: advisory locks -------------------------------------------------
    def _take_postgres(self, names: Sequence[str]) -> None:
        import psycopg

        p = self.params.postgres
        namespace = f"{p['dbname']}.{p.get('schema') or 'public'}"
        try:
            conn = self._connection()
            if not conn.execute("SELECT 1").fetchone():  # pragma: no cover
                raise psycopg.OperationalError("no answer")
            for name in names:
                if name not in self._held:
                    key = lock_key(namespace, name)
                    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
                    if row and row[0]:
                        self._held[name] = key
        except psycopg.Error:
            # The connection is gone, and with it every lock: stand by until it is back.
            self.close()

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            import psycopg

            self._held.clear()
            p = self.params.postgres
            self._conn = psycopg.connect(
                dbname=p["dbname"], host=p["host"], port=p["port"], user=p["user"],
                password=p.get("password") or None, connect_timeout=5, autocommit=True)
        return self._conn

    def close(self) -> None:
        """Give up every lock."""
        for held in self._held.values():
            if hasattr(held, "close"):
                held.close()
        self._held.clear()
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass
            self._conn = None
