"""The one event-sourced application: one log, one total order."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from contextvars import ContextVar
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
from domain.errors import ConcurrentChange, CoopError, NotFound, first_line
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

# PostgreSQL down (restarting, failing over): the library tries each statement 10
# times, 0.2 s apart, and each try waited for a pooled connection as long as the
# connect timeout (5 s), so one statement held a web worker for 20-50 s (past
# gunicorn's timeout) instead of answering 503. Half a second a try bounds it at ~7 s.
POOL_WAIT_SECONDS = 0.5
# The pool reconnects in the background after pauses that double (1, 2, 4 ... s) for
# up to five minutes, so after a 15 s outage the store stayed out of reach ~12 s more.
# Giving a failing reconnection up after a second lets the next statement start a
# fresh one: the store is back as soon as the server is
# (tests/integration/test_postgres_restart.py).
RECONNECT_GIVE_UP_SECONDS = 1.0


class StoreNotInitialised(CoopError):
    """The event store has no tables yet."""


class StoreUnavailable(CoopError):
    """The database is busy or unreachable; trying again later may work."""


class SaveUncertain(StoreUnavailable):
    """The database went away while a change was being saved and could not be asked
    afterwards whether it was: it may or may not have been recorded."""


# Saves in this context (a request's thread) that recorded a change, or may have
# (SaveUncertain). A request that saved and then failed (reading the result back when
# the database went away) keeps its Idempotency-Key reserved, so that a retry cannot
# record the change a second time (web/api/idempotency.py).
saves_made: ContextVar[int] = ContextVar("coop_saves_made", default=0)


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
            self._fail_fast_while_down()
        except _UNREACHABLE as error:
            raise StoreUnavailable(f"cannot reach the event store: {first_line(error)}") from None
        except ProgrammingError as error:
            # Creating the tables failed, e.g. the URL's schema does not exist.
            raise ConfigurationError(
                f"cannot set up the event store: {first_line(error)}"
            ) from None
        if not create_tables:
            try:
                self.check_initialised()
            except CoopError:
                self.close()  # give back the connections opened so far
                raise

    def _fail_fast_while_down(self) -> None:
        """Tune the PostgreSQL connection pool (see POOL_WAIT_SECONDS)."""
        if self.settings.backend == "postgres":
            pool = self.recorder.datastore.pool  # type: ignore[attr-defined]
            pool.timeout = POOL_WAIT_SECONDS
            pool.reconnect_timeout = RECONNECT_GIVE_UP_SECONDS

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
            raise StoreUnavailable(f"cannot reach the event store: {first_line(error)}") from None

    def _record(self, processing_event: Any) -> Any:
        """Record the events; when the connection broke around the commit, ask the
        store whether they landed before calling the save failed.

        PostgreSQL may commit a transaction whose answer is then lost (the server
        restarting). The library tries the insert again on a new connection: that
        finds its own events there (IntegrityError), or finds the server still down.
        Either way the change was recorded, and saying "nothing was saved" would let
        the member (or a retry with the same Idempotency-Key) record it twice.
        """
        try:
            return super()._record(processing_event)
        except (IntegrityError, OperationalError, InterfaceError):
            if self.settings.backend != "postgres" or not processing_event.events:
                raise  # SQLite's answer is never lost: an error means nothing was written
            if not self._landed(processing_event.events[0]):
                raise
        # One transaction held all the events: the first one there means all are.
        if self.repository.cache and not self.repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                self.repository.cache.put(aggregate_id, aggregate)
        return []

    def _landed(self, event: Any) -> bool:
        """Return whether ``event`` is in the store as this process saved it (not
        another writer's event at the same version); SaveUncertain if the store
        cannot be asked (the library waits up to ~7 s for it to come back)."""
        mine = self.mapper.to_stored_event(event)
        try:
            found = self.recorder.select_events(
                mine.originator_id, gt=mine.originator_version - 1,
                lte=mine.originator_version)
        except (OperationalError, InterfaceError) as error:
            saves_made.set(saves_made.get() + 1)
            raise SaveUncertain(
                "the database went away while this was being saved, so it may or may "
                f"not have been recorded: check before doing it again ({first_line(error)})"
            ) from None
        return bool(found) and found[0].topic == mine.topic and found[0].state == mine.state

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Save pending events; a lost optimistic-concurrency race is a domain error."""
        try:
            recordings = super().save(*objs, **kwargs)
        except IntegrityError:
            raise ConcurrentChange(
                "someone else changed this at the same moment; nothing was saved, try again"
            ) from None
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"the event store is busy or unreachable: {first_line(error)}") from None
        saves_made.set(saves_made.get() + 1)
        return recordings

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
            raise StoreUnavailable(f"the event store is busy or unreachable: {first_line(error)}") from None
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
