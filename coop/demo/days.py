"""The demo year's calendar: which days and hours acts happen on.

Weekdays are busier than weekends and most acts fall in working hours, so the
portal's timelines look like a real network's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone

START = datetime(2025, 11, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 1, tzinfo=timezone.utc)  # exclusive: the year ends 2026-10-31
LAST_DAY = (END - timedelta(days=1)).date()

_WEEKDAY_HOURS = {7: 1, 8: 3, 9: 5, 10: 6, 11: 6, 12: 4, 13: 4, 14: 5, 15: 5, 16: 5,
                  17: 4, 18: 3, 19: 3, 20: 2, 21: 1}
_WEEKEND_HOURS = {9: 1, 10: 3, 11: 4, 12: 4, 13: 3, 14: 3, 15: 3, 16: 3, 17: 2, 18: 2,
                  19: 2, 20: 1}


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def at_hour(day: date, rng: random.Random) -> datetime:
    """Return a moment on ``day`` at an hour people plausibly act at."""
    hours = _WEEKEND_HOURS if is_weekend(day) else _WEEKDAY_HOURS
    hour = rng.choices(list(hours), weights=list(hours.values()))[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)),
                            tzinfo=timezone.utc)


def some_day(first: date, last: date, rng: random.Random) -> date:
    """Return a day from ``first`` to ``last`` (inclusive), weekdays more likely."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return rng.choices(days, weights=[2 if is_weekend(d) else 5 for d in days])[0]


def later(moment: datetime, rng: random.Random, min_days: int, max_days: int) -> datetime:
    """Return a plausible moment ``min_days`` to ``max_days`` days after ``moment``."""
    day = moment.date()
    chosen = at_hour(some_day(day + timedelta(days=min_days),
                              day + timedelta(days=max_days), rng), rng)
    if chosen <= moment:  # same day, earlier hour: a little later the same day instead
        chosen = moment + timedelta(minutes=rng.randrange(15, 120), seconds=rng.randrange(60))
    return chosen


def months() -> Iterator[tuple[date, date]]:
    """Yield the first and last day of each month of the demo year."""
    first = START.date()
    while first <= LAST_DAY:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield first, following - timedelta(days=1)
        first = following


def nth_weekday(first: date, weekday: int, n: int) -> date:
    """Return the ``n``-th ``weekday`` (0 = Monday) of the month starting ``first``."""
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))
