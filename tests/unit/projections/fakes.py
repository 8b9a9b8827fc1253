"""A small projection and an in-memory log, to test the machinery on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from projections.base import Positioned, Projection, Table
from projections.store import ReadModelStore, Tx

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Noted:
    """An event the tally counts."""

    value: str
    timestamp: datetime


@dataclass(frozen=True)
class Ignored:
    """An event of a topic the tally does not read."""

    timestamp: datetime


class Failure(Exception):
    """Raised by the tally's handler on its poisoned position."""


class Tally(Projection):
    """One row per event, written as each event is handled, and a running total.

    The total is not idempotent: an event handled twice shows up there even when
    the per-event rows could not be duplicated.
    """

    name = "tally"
    version = 1
    tables = (
        Table("tally", "position BIGINT NOT NULL, value TEXT NOT NULL", key=("position",)),
        Table("tally_total", "id INTEGER NOT NULL, events BIGINT NOT NULL, "
              "position BIGINT NOT NULL", key=("id",), indexes=("position",)),
    )
    events: tuple[type, ...] = (Noted,)

    def __init__(self, events: tuple[type, ...] | None = None) -> None:
        if events is not None:
            self.events = events
        self.fail_at: int | None = None

    def process(self, events: Sequence[Positioned], tx: Tx) -> None:
        for position, event in events:
            if position == self.fail_at:
                raise Failure(f"poisoned at {position}")
            tx.execute("INSERT INTO {tally} (position, value) VALUES (?, ?)",
                       (position, _value(event)))
        tx.execute("INSERT INTO {tally_total} (id, events, position) VALUES (1, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET events = {tally_total}.events + "
                   "excluded.events, position = excluded.position",
                   (len(events), events[-1][0]))


def _value(event: Any) -> str:
    return event.value if isinstance(event, Noted) else str(event.originator_id)


@dataclass(frozen=True)
class Note:
    """A notification of the fake log."""

    id: int
    topic: str
    event: Any


@dataclass
class FakeLog:
    """Recorder and mapper in one: a list of notifications, with gaps in the ids."""

    notes: list[Note] = field(default_factory=list)

    def append(self, event: Any, *, gap: int = 0) -> int:
        from eventsourcing.utils import get_topic

        position = (self.notes[-1].id if self.notes else 0) + 1 + gap
        self.notes.append(Note(position, get_topic(type(event)), event))
        return position

    def add(self, count: int, *, every_third_ignored: bool = False, gaps: bool = True) -> None:
        for i in range(count):
            moment = T0 + timedelta(minutes=len(self.notes))
            if every_third_ignored and i % 3 == 2:
                self.append(Ignored(moment))
            else:
                # Gaps as PostgreSQL leaves them when a transaction rolls back.
                self.append(Noted(f"v{len(self.notes)}", moment), gap=2 if gaps and i % 5 == 4 else 0)

    def max_notification_id(self) -> int | None:
        return self.notes[-1].id if self.notes else None

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> list[Note]:
        found = [n for n in self.notes
                 if (start is None or n.id > start or (inclusive_of_start and n.id == start))
                 and (stop is None or n.id <= stop) and (not topics or n.topic in topics)]
        return found[:limit]

    def to_domain_event(self, note: Note) -> Any:
        return note.event


def rows_of(store: ReadModelStore, projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table of ``projection``, in key order."""
    with store.reading() as tx:
        return {t.name: tx.fetchall(f"SELECT * FROM {{{t.name}}} ORDER BY {', '.join(t.key)}")
                for t in projection.tables}
