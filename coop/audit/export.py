"""Reading the audit chain a page at a time and writing it as JSON Lines or CSV.

Nothing here holds more than one page of lines: rows are read by keyset
(``position > last seen ORDER BY position LIMIT page``), each page in a short read
transaction of its own, and written out before the next is read. The chain's head
is fixed when an export starts, so lines appended meanwhile are left out.

A JSON Lines export is framed by two lines that are not events:

    {"audit_export":{"filters":{...},"kind":"full"}}          first
    {"head":{"hash":"...","position":7},"lines":7}            last

``kind`` says what the export claims to be, which is what ``coop audit verify``
checks it as: "full" (the whole chain from the genesis), "range" (an unbroken run
of it: --since/--until only) or "slice" (lines picked by action, circle or member).
A CSV export has only the lines (spreadsheets want one table); the head is given
beside it (the command's summary, the X-Audit-Head response header).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from coop.audit.canonical import COLUMNS, GENESIS, Line, canonical, line_text
from domain.errors import InvalidValue
from projections.base import micros
from projections.store import ReadModelStore

PAGE = 2000
FULL, RANGE, SLICE = "full", "range", "slice"
FORMATS = {"jsonl": "application/x-ndjson", "csv": "text/csv"}

_ACTION = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_SELECT = ", ".join(f"l.{c}" for c in COLUMNS)

Bound = int | datetime


def parse_bound(text: str) -> Bound:
    """Return a log position (a bare integer) or a UTC time (ISO 8601; no zone is UTC,
    a date alone is its midnight)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), time())
        except ValueError:
            raise InvalidValue(
                f"'{text}' is neither a log position (a whole number) nor an ISO 8601 time"
            ) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def check_action(action: str) -> str:
    action = action.strip().lower()
    if not _ACTION.match(action):
        raise InvalidValue(f"'{action}' is not an action like give.recorded")
    return action


@dataclass(frozen=True)
class Selection:
    """Which lines to export. Positions and times: from ``since`` (included) up to
    ``until`` (excluded); a time stands for the first line recorded at or after it."""

    since: Bound | None = None
    until: Bound | None = None
    actions: tuple[str, ...] = ()
    circle: str | None = None
    member: str | None = None

    @property
    def kind(self) -> str:
        if self.actions or self.circle or self.member:
            return SLICE
        return RANGE if self.since is not None or self.until is not None else FULL

    def describe(self) -> dict[str, Any]:
        def bound(b: Bound | None) -> Any:
            return b.astimezone(timezone.utc).isoformat() if isinstance(b, datetime) else b

        return {"since": bound(self.since), "until": bound(self.until),
                "action": sorted(self.actions), "circle": self.circle, "member": self.member}


@dataclass(frozen=True)
class Head:
    """The chain's newest line: every line up to it is exported, none after."""

    position: int
    hash: str


class AuditLog:
    """The audit chain's rows in the read-model store."""

    def __init__(self, store: ReadModelStore, page: int = PAGE) -> None:
        self.store, self.page = store, page

    def head(self) -> Head:
        """Return the newest line that may be published.

        While a vote with hidden results is open, the chain is published only up to
        the line before its opening: later lines would let anyone count ballots before
        the close. They are published, unchanged, once it closes."""
        with self.store.reading() as tx:
            held = tx.fetchall("SELECT MIN(position) FROM {audit_holds}")[0][0]
            if held is None:
                rows = tx.fetchall("SELECT position, hash FROM {audit_lines} "
                                   "ORDER BY position DESC LIMIT 1")
            else:
                rows = tx.fetchall("SELECT position, hash FROM {audit_lines} "
                                   "WHERE position < ? ORDER BY position DESC LIMIT 1", (held,))
        return Head(rows[0][0], rows[0][1]) if rows else Head(0, GENESIS)

    def newest_position(self) -> int:
        """Return the position of the newest line, published or held back."""
        with self.store.reading() as tx:
            return int(tx.fetchall("SELECT COALESCE(MAX(position), 0) FROM {audit_lines}")[0][0])

    def count(self, head: Head) -> int:
        """Return the number of lines up to ``head``."""
        with self.store.reading() as tx:
            return int(tx.fetchall("SELECT COUNT(*) FROM {audit_lines} WHERE position <= ?",
                                   (head.position,))[0][0])

    def pages(self, selection: Selection, head: Head,
              progress: Callable[[int, int], None] | None = None) -> Iterator[list[Line]]:
        """Yield the selected lines up to ``head``, one page (a list) at a time."""
        after, upto = self._bounds(selection, head)
        where, params = ["l.position > ?", "l.position <= ?"], []
        source = "{audit_lines} l"
        if selection.member:
            source = "{audit_involved} i JOIN {audit_lines} l ON l.position = i.position"
            where = ["i.member_id = ?", "i.position > ?", "i.position <= ?"]
            params.append(selection.member)
        if selection.circle:
            where.append("l.circle = ?")
        if selection.actions:
            where.append(f"l.action IN ({', '.join('?' * len(selection.actions))})")
        sql = (f"SELECT {_SELECT} FROM {source} WHERE {' AND '.join(where)} "
               f"ORDER BY {'i' if selection.member else 'l'}.position LIMIT ?")
        extra = [*([selection.circle] if selection.circle else []), *selection.actions]
        while after < upto:
            with self.store.reading() as tx:
                rows = tx.fetchall(sql, [*params, after, upto, *extra, self.page])
                if self.store.dialect == "sqlite":
                    # Every page of the table is read once: keeping them in SQLite's
                    # page cache (tens of MB) would only make memory grow with the log.
                    tx.execute("PRAGMA shrink_memory")
            if rows:
                yield [Line._make(r) for r in rows]
            after = rows[-1][0] if len(rows) == self.page else upto
            if progress:
                progress(after, upto)

    def _bounds(self, selection: Selection, head: Head) -> tuple[int, int]:
        """Return the positions (after, upto] the selection's since and until span."""
        after, upto = 0, head.position
        since, until = selection.since, selection.until
        with self.store.reading() as tx:
            if isinstance(since, datetime):
                first = tx.fetchall("SELECT position FROM {audit_lines} WHERE at >= ? "
                                    "ORDER BY position LIMIT 1", (micros(since),))
                after = first[0][0] - 1 if first else upto
            elif since is not None:
                after = max(since - 1, 0)
            if isinstance(until, datetime):
                last = tx.fetchall("SELECT position FROM {audit_lines} WHERE at < ? "
                                   "ORDER BY position DESC LIMIT 1", (micros(until),))
                upto = min(upto, last[0][0] if last else 0)
            elif until is not None:
                upto = min(upto, until - 1)
        return after, upto


def jsonl(pages: Iterable[list[Line]], selection: Selection, head: Head) -> Iterator[str]:
    """Yield the export as JSON Lines text, a page at a time, framed by its header
    and its head line."""
    yield canonical({"audit_export": {"filters": selection.describe(),
                                      "kind": selection.kind}}) + "\n"
    count = 0
    for page in pages:
        count += len(page)
        yield "".join([line_text(line) + "\n" for line in page])
    yield canonical({"head": {"hash": head.hash, "position": head.position},
                     "lines": count}) + "\n"


def csv_text(pages: Iterable[list[Line]]) -> Iterator[str]:
    """Yield the export as CSV text (a header row, then one row per line), a page at a time.

    Quoted as Python's csv module does with QUOTE_MINIMAL and CRLF line ends (a test
    holds the two together), but written here: the csv module takes twice as long
    over the long details cells.
    """
    yield ",".join(COLUMNS) + "\r\n"
    for page in pages:
        yield "".join([",".join([_cell(value) for value in line]) + "\r\n" for line in page])


_QUOTED = re.compile(r'[,"\r\n]')


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if _QUOTED.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def write(pages: Iterable[list[Line]], fmt: str, selection: Selection,
          head: Head) -> Iterator[str]:
    """Yield the export in ``fmt`` (jsonl or csv)."""
    if fmt == "csv":
        return csv_text(pages)
    return jsonl(pages, selection, head)
