"""What a projection is: a name, the events it reads, its tables and its handlers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from time import time_ns
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from projections.store import Tx

# A decoded event and its position (notification id) in the one log.
Positioned = tuple[int, Any]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(moment: datetime) -> int:
    """Return a UTC time as whole microseconds since 1970, exactly (no float)."""
    delta = moment.astimezone(timezone.utc) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def now_micros() -> int:
    """Return the wall-clock time in microseconds (when a row was written, not an event)."""
    return time_ns() // 1000


@dataclass(frozen=True)
class Table:
    """One read-model table: its logical name, columns, primary key and indexes.

    Every table has a ``position`` column (or several ``*_position`` ones) naming the
    log position of the event that last wrote the row.
    """

    name: str
    columns: str  # column definitions, SQL common to SQLite and PostgreSQL
    key: tuple[str, ...]
    indexes: tuple[str, ...] = ()  # column lists, e.g. "member_id, at"
    # Those of ``indexes`` the projection itself looks rows up by while it writes: a
    # rebuild makes them before the bulk load (each write would otherwise scan the
    # table), the others after it.
    lookups: tuple[str, ...] = ()
    # On SQLite, store the rows in key order (WITHOUT ROWID): one B-tree fewer per
    # row. Right for rows that arrive in key order (a position first) or are small
    # and updated in place; wrong for wide rows keyed by a random id, which would
    # scatter every batch's writes over the whole table.
    in_key_order: bool = False

    def create_sql(self, physical: str, dialect: str) -> str:
        return (f"CREATE TABLE IF NOT EXISTS {physical} "
                f"({self.columns}, PRIMARY KEY ({', '.join(self.key)}))"
                + (" WITHOUT ROWID" if dialect == "sqlite" and self.in_key_order else ""))

    def index_sql(self, physical: str, *, lookups: bool | None = None) -> list[str]:
        """Return the CREATE INDEX statements: all of them, or only the lookups
        (``lookups=True``), or only the others (``lookups=False``)."""
        # Index names follow the physical table they were made for, so a rebuild's
        # fresh tables never clash with the ones they replace.
        return [f"CREATE INDEX IF NOT EXISTS {physical}_ix{i} ON {physical} ({columns})"
                for i, columns in enumerate(self.indexes)
                if lookups is None or (columns in self.lookups) == lookups]


class Projection(ABC):
    """Turns events, in log order and a batch at a time, into rows of its tables.

    ``process`` runs inside the transaction that also moves the projection's
    position, so a batch is written entirely or not at all. It must depend only on
    the events and on the rows it wrote before: then a rebuild in batches of any size
    produces the same rows as the live projector did.
    """

    name: ClassVar[str]
    # Bumped when the rows a projection writes change: the stored read model then
    # refuses to catch up until it is rebuilt.
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[Table, ...]]
    events: ClassVar[tuple[type, ...]]  # the event classes it reads

    def topics(self) -> list[str]:
        return [get_topic(cls) for cls in self.events]

    @abstractmethod
    def process(self, events: Sequence[Positioned], tx: Tx) -> None:
        """Write the rows for ``events`` (in position order) through ``tx``."""
