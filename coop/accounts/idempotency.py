"""Idempotency keys: a retried request gets the first reply, and runs only once.

A client that sends a write with an ``Idempotency-Key`` and loses the reply can send
it again with the same key. The key is reserved, in its own committed transaction,
before the command runs, so two copies arriving at once cannot both run: the second
finds the reservation and is told to wait. When the command succeeds its reply is
kept with the key; a failed command writes nothing, so its reservation is dropped
and the key may be used again. Keys belong to one member and are kept for a day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from coop.accounts.store import AccountStore, Cursor
from domain.errors import InvalidValue, StateConflict

KEEP_SECONDS = 24 * 3600
# A reservation older than this belongs to a request that died (a killed worker).
# Whether its write was committed cannot be known from here, so a retry is not run
# again (that could record it twice): the caller is told to check and use a new key.
STALE_SECONDS = 120


class KeyReused(InvalidValue):
    """The key was used for a different request."""


class StillRunning(StateConflict):
    """A request with the same key is still being answered."""


class OutcomeUnknown(StateConflict):
    """The first request with this key never finished; it may or may not have been
    recorded."""


@dataclass(frozen=True)
class Reply:
    """The first reply to a request: what a retry is answered with."""

    status: int
    body: str
    content_type: str | None = None
    location: str | None = None


class Idempotency:
    """Reserve keys, keep replies, release keys of requests that failed."""

    def __init__(self, store: AccountStore, clock: Callable[[], float] = time.time) -> None:
        self.store, self.clock = store, clock

    def reserve(self, member_id: str, key: str, fingerprint: str) -> Reply | None:
        """Reserve the key for this request; return None to go ahead, or the reply
        kept from its first run. Refuse a key reused for another request (KeyReused)
        or one whose first run is still going (StillRunning)."""
        now = self.clock()
        with self.store.transaction() as cur:
            cur.run("DELETE FROM {idempotency} WHERE created_at < ?", [now - KEEP_SECONDS])
            inserted = cur.run(
                "INSERT INTO {idempotency} (member_id, idem_key, fingerprint, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (member_id, idem_key) DO NOTHING",
                [member_id, key, fingerprint, now])
            if inserted == 1:
                return None
            return self._existing(cur, member_id, key, fingerprint, now)

    def _existing(self, cur: Cursor, member_id: str, key: str, fingerprint: str,
                  now: float) -> Reply | None:
        row = cur.one("SELECT fingerprint, status, body, content_type, location, created_at "
                      "FROM {idempotency} WHERE member_id = ? AND idem_key = ?",
                      [member_id, key])
        if row is None:  # released between our insert and this read: ask for a retry
            raise StillRunning("a request with this Idempotency-Key has just finished: "
                               "send it again")
        kept, status, body, content_type, location, created_at = row
        if kept != fingerprint:
            raise KeyReused("this Idempotency-Key was used for a different request: "
                            "use a new key for a new request")
        if status is not None:
            return Reply(int(status), body or "", content_type, location)
        if created_at < now - STALE_SECONDS:
            raise OutcomeUnknown(
                "the first request with this Idempotency-Key never finished (its server "
                "stopped), so it may or may not have been recorded: check, and send a new "
                "request with a new key if it was not")
        raise StillRunning("a request with this Idempotency-Key is still being answered: "
                           "wait a moment and send it again")

    def keep(self, member_id: str, key: str, reply: Reply) -> None:
        """Keep the reply to a request that succeeded, for its retries."""
        with self.store.transaction() as cur:
            cur.run("UPDATE {idempotency} SET status = ?, body = ?, content_type = ?, "
                    "location = ? WHERE member_id = ? AND idem_key = ?",
                    [reply.status, reply.body, reply.content_type, reply.location,
                     member_id, key])

    def release(self, member_id: str, key: str) -> None:
        """Drop the reservation of a request that failed (and so wrote nothing)."""
        with self.store.transaction() as cur:
            cur.run("DELETE FROM {idempotency} WHERE member_id = ? AND idem_key = ? "
                    "AND status IS NULL", [member_id, key])
