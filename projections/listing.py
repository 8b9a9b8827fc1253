"""What the list read models share: pages, row-writing SQL, ids, the in-request catch-up.

Lists are paged by "one row more than the page": a page knows whether another
follows without counting the whole table, so the first pages of a list cost the
same however long the log grows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from domain.errors import InvalidValue, NotFound
from projections.base import Positioned, Projection, Table
from projections.store import ReadModelStore, Tx

if TYPE_CHECKING:
    from projections.projector import Projector

T = TypeVar("T")

PAGE_SIZE = 25
# Deep pages cost an OFFSET scan; nobody reads a list 400 pages in.
MAX_PAGE = 400
NETWORK = "network"  # the scope of what belongs to no circle


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, numbered from 1."""

    items: list[T]
    number: int = 1
    size: int = PAGE_SIZE
    has_next: bool = False

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        """Return the 1-based position in the whole list of this page's first item."""
        return (self.number - 1) * self.size + 1


@dataclass(frozen=True)
class Paging:
    """Which page to read: LIMIT and OFFSET for the SQL."""

    number: int = 1
    size: int = PAGE_SIZE
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_page(self.number)

    @property
    def limit(self) -> int:
        return self.size + 1  # one more than shown: is there a next page?

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def page(self, rows: Sequence[T]) -> Page[T]:
        return Page(list(rows[:self.size]), self.number, self.size, len(rows) > self.size)


def check_page(number: object) -> int:
    """Return a page number, refusing what is not one (a bad request, not a missing page)."""
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_PAGE:
        raise InvalidValue(f"the page number must be a whole number from 1 to {MAX_PAGE}")
    return number


def page_of(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """Return one page of a list held in memory."""
    check_page(number)
    start = (number - 1) * size
    return Page(list(items[start:start + size]), number, size, len(items) > start + size)


def upsert(table: Table, columns: Sequence[str]) -> str:
    """Return an INSERT that overwrites the row with the same key."""
    changing = [c for c in columns if c not in table.key]
    return (f"INSERT INTO {{{table.name}}} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in changing))


def insert(table: Table, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {{{table.name}}} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def sid(value: Any) -> str | None:
    """Return an id as stored (text), None for none."""
    return None if value is None else str(value)


def uuid_of(value: Any) -> UUID | None:
    return None if value is None else UUID(str(value))


def parse_id(value: UUID | str, what: str) -> str:
    """Return an id as stored, or NotFound when it cannot be one."""
    try:
        return str(value if isinstance(value, UUID) else UUID(str(value).strip()))
    except ValueError:
        raise NotFound(f"no {what} with id '{value}'") from None


def like_pattern(text: str) -> str:
    """Return a LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def placeholders(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class Reader:
    """The read side of some list projections: catch them up, then read a snapshot."""

    def __init__(self, store: ReadModelStore,
                 catch_up: Callable[[], object] | None = None) -> None:
        self.store = store
        self._catch_up = catch_up

    def _read(self) -> Any:
        if self._catch_up is not None:
            self._catch_up()
        return self.store.reading()


class ByEvent(Projection):
    """A projection with one method per event class it reads: ``_Member_Joined`` for
    ``Member.Joined``, called with (tx, position, event)."""

    def process(self, events: Sequence[Positioned], tx: Tx) -> None:
        handlers = self.__dict__.get("_handlers")
        if handlers is None:
            handlers = self.__dict__["_handlers"] = {
                cls: getattr(self, "_" + cls.__qualname__.replace(".", "_"))
                for cls in self.events}
        for position, event in events:
            handlers[type(event)](tx, position, event)


class CatchingUp:
    """Catch ``names`` up to the log's head before a read; skip it while the head stays
    where it was when this process last caught them up (they cannot be behind it)."""

    def __init__(self, projector: Projector, names: Sequence[str]) -> None:
        self.projector, self.names = projector, list(names)
        self.done = 0

    def __call__(self) -> None:
        head = self.projector.head()
        if head > self.done:
            self.projector.catch_up(self.names)
            self.done = head
