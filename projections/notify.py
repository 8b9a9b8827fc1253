"""Wake the projector when the log moves: PostgreSQL LISTEN, with the poll as safety net.

The eventsourcing library's PostgreSQL recorder issues ``NOTIFY <events table>`` in
the transaction that inserts events, so the notification arrives when they commit.
The projector waits for one at most ``poll_interval`` seconds: a lost notification
(the listening connection cut, the server restarted) only delays it to the next poll.
On SQLite there is nothing to listen to and the wait is the poll.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from projections.store import StoreParams

# How often a wait looks at the stop flag, so SIGTERM is honoured promptly.
STOP_CHECK_SECONDS = 0.5


class Wakeup:
    """Wait for new events, or for ``timeout`` seconds, or for ``stop``."""

    def __init__(self, params: StoreParams, channel: str | None, *, listen: bool = True) -> None:
        self.params = params
        self.channel = channel if (listen and params.dialect == "postgres") else None
        self._conn: Any = None

    @property
    def listening(self) -> bool:
        return self.channel is not None

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        """Return True when woken by a notification, False after the timeout or stop."""
        if self.channel is None:
            stop.wait(timeout)
            return False
        import psycopg

        deadline = time.monotonic() + timeout
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                conn = self._listener()
                woken = list(conn.notifies(timeout=min(left, STOP_CHECK_SECONDS),
                                           stop_after=1))
                if woken:
                    self._drain(conn)
                    return True
            except psycopg.Error:
                # The server went away: poll for the rest of this wait, listen again next.
                self.close()
                stop.wait(max(deadline - time.monotonic(), 0))
                return False
        return False

    def _listener(self) -> Any:
        if self._conn is None or self._conn.closed:
            import psycopg
            from psycopg import sql

            p = self.params.postgres
            self._conn = psycopg.connect(
                dbname=p["dbname"], host=p["host"], port=p["port"], user=p["user"],
                password=p.get("password") or None, connect_timeout=5, autocommit=True)
            self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        return self._conn

    @staticmethod
    def _drain(conn: Any) -> None:
        """Swallow notifications already queued: one catch-up serves them all."""
        for _ in conn.notifies(timeout=0.01):  # (psycopg reads 0 as "no timeout")
            pass

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass
            self._conn = None
