"""Checking an audit export without trusting whoever made it.

Every line is checked on its own: its hash must be sha256(its prev_hash + the
canonical JSON of the line without its hash). Then, by the kind of export:

- full: the first line follows the genesis and every line follows the one before
  (its prev_hash is that line's hash): nothing can be changed, removed, added or
  moved without breaking a hash or a link. With --head (taken from somewhere you
  trust, e.g. the steward's audit page) a cut-off tail is caught too.
- range (--since/--until): the same, except that the first line may follow any line.
- slice (lines picked by action, circle or member): each line is intact and the
  positions rise; lines that were next to each other in the chain must still link,
  which cannot be checked across what the slice left out. A slice shows each of its
  lines is unaltered since it was hashed; that they belong to the network's chain,
  and that none were dropped, is shown by finding their hashes in a full export that
  verifies against the head.

Reading is one pass with a line of look-ahead, in constant memory. The first line
that does not hold is named, with why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coop.audit.canonical import GENESIS
from coop.audit.export import FULL, SLICE
from coop.audit.records import Bad, Entry, Header, Record, Trailer, read
from domain.errors import CoopError, InvalidValue

__all__ = ["ChainBroken", "Report", "read", "verify"]


class ChainBroken(CoopError):
    """An export does not hold; the message names the first line that does not."""

    def __init__(self, number: int, reason: str, position: int | None = None) -> None:
        self.number, self.reason = number, reason
        where = f"line {number}" + (f" (position {position})" if position is not None else "")
        super().__init__(f"{where} does not hold: {reason}")


@dataclass(frozen=True)
class Report:
    """What a verified export proved."""

    kind: str
    lines: int
    head: str  # the last line's hash (full, range) or the head the export announces
    first: int | None
    last: int | None
    runs: int  # runs of lines linked to each other

    def summary(self) -> str:
        if self.kind == SLICE:
            return (f"slice holds: {self.lines} lines, each intact and in order, in "
                    f"{self.runs} linked runs; export head {self.head}")
        span = f"positions {self.first} to {self.last}" if self.lines else "no lines"
        start = "from the genesis" if self.kind == FULL else "an unbroken range"
        return f"chain holds: {self.lines} lines, head {self.head} ({span}, {start})"


# -- checking -------------------------------------------------------------------------
def verify(records: Iterable[Record], *, kind: str | None = None,
           head: str | None = None) -> Report:
    """Check an export's records; return what they prove, or raise ChainBroken naming
    the first line that does not hold. ``kind`` overrides the export's own header."""
    stream = iter(records)
    current = next(stream, None)
    header = current if isinstance(current, Header) else None
    if header is not None:
        current = next(stream, None)
    chain = _Chain(kind or (header.kind if header else FULL))
    trailer: Trailer | None = None
    while current is not None:
        following = next(stream, None)
        if isinstance(current, Bad):
            raise ChainBroken(current.number, current.reason, current.position)
        if isinstance(current, Trailer):
            if following is not None:
                raise ChainBroken(following.number, "it comes after the export's closing head line")
            trailer = current
        elif isinstance(current, Entry):
            chain.add(current, following if isinstance(following, Entry) else None)
        current = following
    chain.close(header, trailer, head)
    return chain.report(trailer)


class _Chain:
    """The last two lines seen, and the checks a new line must pass against them."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.prev: Entry | None = None
        self.prev2: Entry | None = None
        self.count = 0
        self.runs = 0
        self.first: int | None = None
        self.last_number = 0

    def add(self, line: Entry, following: Entry | None) -> None:
        prev = self.prev
        if prev is None:
            if self.kind == FULL and line.prev_hash != GENESIS:
                raise ChainBroken(line.number, "it does not start the chain (its prev_hash is "
                                  "not the genesis): lines are missing before it", line.position)
            self.first, self.runs = line.position, 1
        elif line.hash == prev.hash:
            raise ChainBroken(line.number, f"it duplicates line {prev.number}", line.position)
        elif line.prev_hash == prev.hash:
            if line.position <= prev.position:
                raise ChainBroken(line.number, f"out of order: position {line.position} "
                                  f"after {prev.position}", line.position)
        elif self.kind == SLICE:
            self._check_rising(line, prev)
            self.runs += 1
        else:
            self._diagnose(line, prev, following)
        self.prev2, self.prev = prev, line
        self.count += 1
        self.last_number = line.number

    def _check_rising(self, line: Entry, prev: Entry) -> None:
        if line.position == prev.position:
            raise ChainBroken(line.number, f"position {line.position} is also line "
                              f"{prev.number}'s: a duplicated position", line.position)
        if line.position < prev.position:
            raise ChainBroken(line.number, f"out of order: position {line.position} comes "
                              f"after position {prev.position} (line {prev.number})",
                              line.position)

    def _diagnose(self, line: Entry, prev: Entry, following: Entry | None) -> None:
        """Name the line that breaks the link between ``prev`` and ``line``, and why."""
        prev2 = self.prev2
        if prev2 is not None and line.prev_hash == prev2.hash:
            # prev and line both claim to follow prev2: one of them is not in the chain.
            if following is not None and following.prev_hash == prev.hash:
                raise ChainBroken(line.number, f"it is not in the chain: it claims to follow "
                                  f"line {prev2.number}, which line {prev.number} follows",
                                  line.position)
            raise ChainBroken(prev.number, f"it was inserted: it is not in the chain (line "
                              f"{line.number} follows line {prev2.number} directly)",
                              prev.position)
        if following is not None and line.prev_hash == following.hash:
            raise ChainBroken(line.number, f"out of order: it belongs after line "
                              f"{following.number}", line.position)
        self._check_rising(line, prev)
        raise ChainBroken(line.number, f"broken link: its prev_hash is not the hash of line "
                          f"{prev.number}, so lines are missing before it", line.position)

    def close(self, header: Header | None, trailer: Trailer | None, head: str | None) -> None:
        """Check the end of the export: its closing head line, and the head if given."""
        last = self.prev
        end = f"line {last.number} (position {last.position})" if last else "no line"
        if header is not None and trailer is None:
            raise ChainBroken(self.last_number or header.number,
                              "the file ends here without the export's closing head line: "
                              "it was cut short", last.position if last else None)
        if trailer is not None:
            if trailer.lines != self.count:
                raise ChainBroken(trailer.number, f"the export says it has {trailer.lines} lines; "
                                  f"the file has {self.count}")
            reaches = header.reaches_head if header else self.kind == FULL
            ends_at = last.hash if last else GENESIS
            if self.kind != SLICE and reaches and ends_at != trailer.head_hash:
                raise ChainBroken(self.last_number or trailer.number,
                                  f"the export ends at {end}, not at its head (position "
                                  f"{trailer.head_position}): lines are missing at the end")
            if head is not None and head != trailer.head_hash:
                raise ChainBroken(trailer.number, f"the export's head {trailer.head_hash} is not "
                                  f"the head given ({head})")
        if head is None:
            return
        if self.kind == FULL:
            if (last.hash if last else GENESIS) != head:
                raise ChainBroken(self.last_number or 1,
                                  f"the file ends at {end}, which is not the head given "
                                  f"({head}): lines are missing at the end",
                                  last.position if last else None)
        elif trailer is None:
            raise InvalidValue(f"a {self.kind} without its closing head line (a CSV file) cannot "
                               "be checked against a head: leave out --head")

    def report(self, trailer: Trailer | None) -> Report:
        last = self.prev
        shown = last.hash if last else GENESIS
        if self.kind == SLICE and trailer is not None:
            shown = trailer.head_hash
        return Report(self.kind, self.count, shown, self.first,
                      last.position if last else None, self.runs)
