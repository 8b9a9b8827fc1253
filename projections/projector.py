"""The projector: reads the one log in position order and keeps read models current.

Exactly-once by compare-and-set on the tracking row. Events are read and decoded
outside any transaction; then one transaction locks the projection's tracking row,
checks the position is still the one the batch started from, writes the batch's
rows and moves the position. A projector that finds the position moved (another
projector, an in-request catch-up or a rebuild got there first) rolls back, re-reads
the position and carries on from there. Nothing assumes positions are contiguous:
PostgreSQL may leave gaps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError

from domain.errors import CoopError, NotFound, first_line
from projections.base import Positioned, Projection, now_micros
from projections.store import ReadModelsNotInitialised, ReadModelsUnavailable, ReadModelStore, Tx

TRACKING_DDL = ("CREATE TABLE IF NOT EXISTS {tracking} (projection TEXT PRIMARY KEY, "
                "version BIGINT NOT NULL, position BIGINT NOT NULL, updated_at BIGINT NOT NULL)")
DEFAULT_BATCH = 1000
FAR_BEHIND = 10  # batches
# The lock that lets one projector of several close proposals when they fall due.
TICK = "due-proposals"


class ProjectionOutdated(CoopError):
    """The stored read model was built by another version of its projection."""


class ProjectionFailed(CoopError):
    """A projection could not take a batch of events: a bug, named with its position."""


def outdated(projection: Projection, stored: int) -> str:
    """Say what to do about a read model stored at version ``stored``."""
    if stored > projection.version:  # rebuilding it would undo the newer Coop's work
        return (f"the read model '{projection.name}' was built by a newer Coop (version "
                f"{stored}, this one knows {projection.version}): upgrade Coop on this host "
                f"(or, to go back to this version, run 'coop projections rebuild "
                f"{projection.name}')")
    return (f"the read model '{projection.name}' is at version {stored} and this Coop needs "
            f"{projection.version}: run 'coop init' (or 'coop projections rebuild "
            f"{projection.name}') to upgrade")


def process(projection: Projection, batch: Batch, tx: Tx) -> None:
    """Run ``projection`` over ``batch``; a failure names the projection and position."""
    try:
        projection.process(batch.events, tx)
    except CoopError:
        raise
    except Exception as error:
        if tx.store.is_transient(error):
            # The database went away mid-batch (a restart), not a bug of the projection:
            # the store's transaction makes it ReadModelsUnavailable, and the projector
            # waits for the next poll instead of stopping.
            raise
        raise ProjectionFailed(
            f"the read model '{projection.name}' could not take the events after log "
            f"position {batch.start} ({type(error).__name__}: {error}); nothing of that "
            "batch was written"
        ) from error


@dataclass(frozen=True)
class Batch:
    """Events after ``start`` up to and including ``end``, decoded."""

    start: int
    end: int
    events: list[Positioned]


class _PositionMoved(Exception):
    """Someone else moved the projection since this batch was read."""


def create_tables(store: ReadModelStore, projections: Iterable[Projection]) -> None:
    """Create the tracking table and each projection's tables (when missing)."""
    store.create_database()
    with store.transaction() as tx:
        tx.execute(TRACKING_DDL)
        existing = store.table_names(tx)
        for projection in projections:
            for table in projection.tables:
                physical = store.physical(table.name)
                if physical not in existing:  # a rebuilt table keeps its own indexes
                    tx.execute(table.create_sql(physical, store.dialect))
                    for sql in table.index_sql(physical):
                        tx.execute(sql)
            tx.execute("INSERT INTO {tracking} (projection, version, position, updated_at) "
                       "VALUES (?, ?, 0, ?) ON CONFLICT (projection) DO NOTHING",
                       (projection.name, projection.version, now_micros()))


class Projector:
    """Keeps ``projections`` current with the log read through ``recorder``/``mapper``."""

    def __init__(self, recorder: Any, mapper: Any, store: ReadModelStore,
                 projections: Sequence[Projection], *, batch_size: int = DEFAULT_BATCH) -> None:
        self.recorder, self.mapper, self.store = recorder, mapper, store
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size

    def projection(self, name: str) -> Projection:
        try:
            return self.projections[name]
        except KeyError:
            known = ", ".join(sorted(self.projections))
            raise NotFound(f"no projection called '{name}' (there is: {known})") from None

    # -- the log ------------------------------------------------------------------
    def head(self) -> int:
        """Return the position of the newest event in the log (0 when empty)."""
        return self._log(self.recorder.max_notification_id) or 0

    def pending(self, projection: Projection, start: int, head: int,
                limit: int | None = None) -> Batch:
        """Return the next batch of ``projection``'s events after ``start``, up to ``head``."""
        limit = limit or self.batch_size
        notifications = self._log(lambda: self.recorder.select_notifications(
            start, limit, stop=head, topics=projection.topics(), inclusive_of_start=False))
        decode = self.mapper.to_domain_event
        events = [(n.id, decode(n)) for n in notifications]
        # A short batch covers everything up to the head, even events of other topics.
        end = notifications[-1].id if len(notifications) == limit else head
        return Batch(start, end, events)

    def batches(self, projection: Projection, start: int, head: int,
                limit: int | None = None) -> Iterator[Batch]:
        """Yield consecutive batches from ``start`` to ``head``."""
        while start < head:
            batch = self.pending(projection, start, head, limit)
            yield batch
            start = batch.end

    def event_time(self, position: int) -> datetime | None:
        """Return the time of the event at ``position`` (or the first after it)."""
        found = self._log(lambda: self.recorder.select_notifications(max(position, 1), 1))
        return self.mapper.to_domain_event(found[0]).timestamp if found else None

    @staticmethod
    def _log(read: Callable[[], Any]) -> Any:
        try:
            return read()
        except (OperationalError, InterfaceError) as error:
            raise ReadModelsUnavailable(f"the event store is busy or unreachable: {first_line(error)}") from None

    # -- tracking -----------------------------------------------------------------
    def tracking(self, projection: Projection, tx: Tx | None = None,
                 *, lock: bool = False) -> tuple[int, int]:
        """Return (version, position) of ``projection``'s stored read model."""
        sql = "SELECT version, position FROM {tracking} WHERE projection = ?"
        if lock and self.store.dialect == "postgres":
            sql += " FOR UPDATE"  # SQLite's BEGIN IMMEDIATE already holds the write lock
        if tx is None:
            with self.store.reading() as reader:
                rows = reader.fetchall(sql, (projection.name,))
        else:
            rows = tx.fetchall(sql, (projection.name,))
        if not rows:
            raise ReadModelsNotInitialised(
                f"the read model '{projection.name}' has no tables: run 'coop init' first")
        return rows[0][0], rows[0][1]

    def position(self, projection: Projection) -> int:
        version, position = self.tracking(projection)
        if version != projection.version:
            raise ProjectionOutdated(outdated(projection, version))
        return position

    def set_position(self, tx: Tx, projection: Projection, start: int, end: int) -> None:
        changed = tx.execute(
            "UPDATE {tracking} SET position = ?, updated_at = ? "
            "WHERE projection = ? AND position = ? AND version = ?",
            (end, now_micros(), projection.name, start, projection.version))
        if changed != 1:
            raise _PositionMoved

    # -- catching up --------------------------------------------------------------
    def apply(self, projection: Projection, batch: Batch) -> bool:
        """Write ``batch`` and move the position in one transaction.

        Return False, having written nothing, when the position is no longer the
        batch's start.
        """
        try:
            with self.store.transaction() as tx:
                if self.tracking(projection, tx, lock=True)[1] != batch.start:
                    raise _PositionMoved
                if batch.events:
                    process(projection, batch, tx)
                self.set_position(tx, projection, batch.start, batch.end)
        except _PositionMoved:
            return False
        return True

    def catch_up(self, names: Iterable[str] | None = None,
                 stop: threading.Event | None = None) -> dict[str, int]:
        """Bring projections up to the log's current head; return events written by each.

        Safe to call from a web request while ``coop projector`` runs: whoever gets
        to a batch first writes it, the other carries on after it.
        """
        chosen = [self.projection(n) for n in names] if names is not None else list(
            self.projections.values())
        head = self.head()
        done: dict[str, int] = {}
        for projection in chosen:
            done[projection.name] = 0
            position = self.position(projection)
            while position < head and not (stop and stop.is_set()):
                # Far behind (a projector that was down, a new read model), bigger
                # batches: fewer commits, each touching an index's pages once.
                far = head - position > FAR_BEHIND * self.batch_size
                limit = self.batch_size * (FAR_BEHIND // 2 if far else 1)
                for batch in self.batches(projection, position, head, limit):
                    if not self.apply(projection, batch):
                        position = self.position(projection)  # someone else got there
                        break
                    done[projection.name] += len(batch.events)
                    position = batch.end
                    if stop and stop.is_set():
                        break
        return done

    def run(self, poll_interval: float, stop: threading.Event,
            report: Callable[[str], None],
            tick: Callable[[], None] | None = None, *,
            leader: Callable[[Sequence[str]], list[str]] | None = None,
            wait: Callable[[float, threading.Event], Any] | None = None) -> None:
        """Catch up every ``poll_interval`` seconds until ``stop`` is set, calling
        ``tick`` (work due at a time rather than on an event) after each poll.

        ``leader`` takes the projections' locks and returns those this process holds
        (projections/leader.py); it runs only those, and ``tick`` only while it holds
        the lock named TICK. ``wait`` may end the pause early when the log moves
        (projections/notify.py).
        """
        wait = wait or (lambda seconds, event: event.wait(seconds))
        everything = [*sorted(self.projections), TICK]
        active: list[str] | None = None
        while not stop.is_set():
            mine = leader(everything) if leader is not None else everything
            if leader is not None and mine != active:
                active = mine
                report(f"active for: {', '.join(mine)}" if mine else
                       "standing by: another projector holds every projection "
                       "(or the database is out of reach)")
            if tick is not None and TICK in mine:
                tick()
            names = [n for n in mine if n != TICK]
            try:
                done = self.catch_up(names, stop=stop) if names else {}
                for name, count in done.items():
                    if count:  # (reading the position may meet the database gone, too)
                        report(f"{name}: wrote {count} events, now at position "
                               f"{self.position(self.projection(name))}")
            except ReadModelsUnavailable as error:
                report(f"waiting: {error}")  # busy or restarting: the next poll may work
            wait(poll_interval, stop)

    # -- status -------------------------------------------------------------------
    def status(self) -> list[dict[str, Any]]:
        """Return each projection's position and lag (in log positions and seconds)."""
        head = self.head()
        newest = self.event_time(head) if head else None
        report = []
        for name in sorted(self.projections):
            projection = self.projections[name]
            version, position = self.tracking(projection)
            lag_seconds = 0.0
            if position < head and newest is not None:
                behind = self.event_time(position)
                lag_seconds = (newest - behind).total_seconds() if behind else 0.0
            report.append({
                "name": name, "position": position, "head": head,
                "lag_events": max(head - position, 0), "lag_seconds": lag_seconds,
                "outdated": version != projection.version,
            })
        return report

    def rebuild(self, name: str, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild one projection into fresh tables and swap them in; return its position."""
        from projections.rebuild import rebuild

        return rebuild(self, self.projection(name), progress)
