"""The base every Coop aggregate stands on."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate

from domain import clock


class CoopAggregate(Aggregate):
    """An aggregate whose events take their time from :mod:`domain.clock`.

    Every command method takes ``by``, the acting member's id, so that who did it
    travels with every event (see docs/ARCHITECTURE.md, "Event catalogue").
    """

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()
