"""The one event-sourced application: one log, one total order."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    ProgrammingError,
)

from coop import transcodings
from coop.config import ConfigurationError, Settings
from domain.base import CoopAggregate
from domain.circle import Circle
from domain.errors import ConcurrentChange, CoopError, NotFound
from domain.member import Member

A = TypeVar("A", bound=CoopAggregate)
T = TypeVar("T")

# A retryable command is re-decided this many times after losing a race. Writers
# that collide once tend to collide again in lockstep, so each retry first waits a
# random, growing moment (up to 10, 20, 40, 80 ms): a handful of members changing
# one thing at once all get through, and a hopeless race still ends in well
# under a second with ConcurrentChange.
RETRY_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = 0.01

# What the store raises when it cannot be used at all. The SQLite driver's own
# DatabaseError ("file is not a database") escapes the library while it connects.
_UNREACHABLE = (OperationalError, InterfaceError, sqlite3.DatabaseError)

# Aggregates whose event lists grow for as long as the network lives.
SNAPSHOT_EVERY = 50


class StoreNotInitialised(CoopError):
    """The event store has no tables yet."""


class StoreUnavailable(CoopError):
    """The database is busy or unreachable; trying again later may work."""


class CoopApplication(Application[UUID]):
    """Every aggregate of the network is saved through this one application."""

    name = "Coop"
    snapshotting_intervals = {Member: SNAPSHOT_EVERY, Circle: SNAPSHOT_EVERY}

    def __init__(self, settings: Settings, *, create_tables: bool = False) -> None:
        self.settings = settings
        if settings.backend == "sqlite":
            if create_tables:
                try:
                    settings.data_dir.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise ConfigurationError(
                        f"COOP_DATA_DIR: cannot use {settings.data_dir} as the data folder "
                        f"({error.strerror})"
                    ) from None
            elif not settings.events_path.exists():
                raise StoreNotInitialised(
                    f"no event store at {settings.events_path}: run 'coop init' first"
                )
        try:
            super().__init__(env=settings.event_store_env(create_tables=create_tables))
        except _UNREACHABLE as error:
            raise StoreUnavailable(f"cannot reach the event store: {_first_line(error)}") from None
        except ProgrammingError as error:
            # Creating the tables failed, e.g. the URL's schema does not exist.
            raise ConfigurationError(
                f"cannot set up the event store: {_first_line(error)}"
            ) from None
        if not create_tables:
            try:
                self.check_initialised()
            except CoopError:
                self.close()  # give back the connections opened so far
                raise

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in transcodings.ALL:
            transcoder.register(transcoding())

    def check_initialised(self) -> None:
        """Raise StoreNotInitialised unless the log's tables exist."""
        try:
            self.recorder.max_notification_id()
        except ProgrammingError:
            raise StoreNotInitialised("the event store has no tables: run 'coop init' first") from None
        except _UNREACHABLE as error:
            if "no such table" in str(error):
                raise StoreNotInitialised(
                    "the event store has no tables: run 'coop init' first"
                ) from None
            raise StoreUnavailable(f"cannot reach the event store: {_first_line(error)}") from None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Save pending events; a lost optimistic-concurrency race is a domain error."""
        try:
            return super().save(*objs, **kwargs)
        except IntegrityError:
            raise ConcurrentChange(
                "someone else changed this at the same moment; nothing was saved, try again"
            ) from None
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"the event store is busy or unreachable: {_first_line(error)}") from None

    def load(self, kind: type[A], aggregate_id: UUID | str, what: str) -> A:
        """Return the aggregate of that kind, or NotFound naming ``what`` it is."""
        try:
            key = aggregate_id if isinstance(aggregate_id, UUID) else UUID(str(aggregate_id))
        except ValueError:
            raise NotFound(f"no {what} with id '{aggregate_id}'") from None
        try:
            aggregate = self.repository.get(key)
        except AggregateNotFoundError:
            raise NotFound(f"no {what} with id '{key}'") from None
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"the event store is busy or unreachable: {_first_line(error)}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {what} with id '{key}'")
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def attempt(self, work: Callable[[], T], *, retry: bool) -> T:
        """Run ``work`` (load, decide, save); after a lost race re-run it on fresh
        state when ``retry`` says re-deciding cannot surprise the member, that is
        for idempotent or commutative commands. Otherwise the race is an error."""
        attempts = RETRY_ATTEMPTS if retry else 1
        for attempt in range(attempts):
            try:
                return work()
            except ConcurrentChange:
                if attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0, RETRY_BACKOFF_SECONDS * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def change(self, kind: type[A], aggregate_id: UUID | str, what: str,
               command: Callable[[A], None], *, retry: bool = False) -> A:
        """Load one aggregate, apply ``command`` to it and save it."""

        def work() -> A:
            aggregate = self.load(kind, aggregate_id, what)
            command(aggregate)
            self.save(aggregate)
            return aggregate

        return self.attempt(work, retry=retry)

    def last_position(self) -> int:
        """Return the position of the newest event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
