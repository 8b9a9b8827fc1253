"""The time at which events happen.

Events take their timestamp from here rather than from the wall clock directly, so
that the demo network (and tests) can replay a year of history with realistic dates
while production simply uses the current UTC time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

_frozen: ContextVar[datetime | None] = ContextVar("coop_clock", default=None)


def now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(timezone.utc)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make every event triggered inside the block happen at ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("the clock only takes timezone-aware times")
    token = _frozen.set(moment.astimezone(timezone.utc))
    try:
        yield
    finally:
        _frozen.reset(token)
