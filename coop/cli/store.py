"""``coop init``: the one place the store's tables are created and upgraded."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from typing import IO, Any

import click

from coop.application import StoreUnavailable
from coop.bootstrap import Network, build
from coop.cli.projections import no_garbage_collection
from coop.config import Settings
from domain.errors import first_line
from projections.leader import advisory_key
from projections.projector import ProjectionOutdated, outdated

# How long a second ``coop init`` waits for the first (which may be rebuilding a
# large read model) before giving up, and how often it looks.
INIT_WAIT_SECONDS = 30 * 60
POLL_SECONDS = 0.2
LOCK_FILE = "init.lock"


def register(cli: click.Group) -> None:
    cli.add_command(init)


@click.command()
def init() -> None:
    """Create the store, or upgrade it to this version of Coop.

    Safe to run again, and on several hosts at once: they take turns, and the later
    ones find nothing left to do.
    """
    settings = Settings.from_env()
    with one_at_a_time(settings):
        net = build(settings, create_tables=True)
        try:
            _report(net)
        finally:
            net.close()


def _report(net: Network) -> None:
    where = (
        f"PostgreSQL database {net.settings.postgres_params()['dbname']}"
        if net.settings.backend == "postgres" else str(net.settings.data_dir)
    )
    click.echo(f"Store ready in {where} ({net.app.last_position()} events in the log).")
    assert net.accounts.upgraded is not None  # built with create_tables=True
    click.echo(f"Account tables: {net.accounts.upgraded.describe()}")
    upgrade_read_models(net, report=click.echo)
    behind = [f"{p['name']} at position {p['position']}" for p in net.projector.status()]
    click.echo(f"Read models: {', '.join(behind)} (the projector or any query catches up).")


def upgrade_read_models(net: Network, report: Callable[[str], None]) -> None:
    """Rebuild every read model stored by an older version of its projection.

    Refuses, rebuilding nothing, when one was built by a newer Coop: rebuilding it
    here would undo that version's work.
    """
    projector = net.projector
    stored = {name: projector.tracking(projector.projection(name))[0]
              for name in sorted(projector.projections)}
    for name, version in stored.items():
        projection = projector.projection(name)
        if version > projection.version:
            raise ProjectionOutdated(outdated(projection, version))
    for name, version in stored.items():
        projection = projector.projection(name)
        if version < projection.version:
            with no_garbage_collection():
                projector.rebuild(name)
            report(f"Read models: rebuilt {name} (was version {version}, "
                   f"now {projection.version}).")


@contextmanager
def one_at_a_time(settings: Settings) -> Iterator[None]:
    """Hold the store for this ``coop init`` until it ends.

    Two at once (say, a deployment that runs it on every host) would race to create
    the same tables and to rebuild the same read model; taking turns, the second
    finds nothing left to do. PostgreSQL: a session advisory lock per schema (it goes
    when the connection closes, even if the process dies). SQLite: a lock file in
    the data folder.
    """
    if settings.backend == "postgres":
        with _advisory_lock(settings):
            yield
        return
    handle = _lock_file(settings)
    if handle is None:  # build() then says why the data folder cannot be used
        yield
        return
    with handle:
        _take_turn(lambda: _flock(handle))
        yield


def _advisory_lock(settings: Settings) -> AbstractContextManager[Any]:
    import psycopg

    p = settings.postgres_params()
    try:
        conn = psycopg.connect(dbname=p["dbname"], host=p["host"], port=p["port"],
                               user=p["user"], password=p["password"] or None,
                               connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as error:
        raise StoreUnavailable(f"cannot reach the database: {first_line(error)}") from None
    key = advisory_key(f"coop-init:{p['schema'] or 'public'}")
    try:
        _take_turn(lambda: bool(
            conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]))
    except psycopg.OperationalError as error:
        conn.close()
        raise StoreUnavailable(f"cannot reach the database: {first_line(error)}") from None
    except BaseException:
        conn.close()
        raise
    return closing(conn)  # closing the session gives the lock back


def _lock_file(settings: Settings) -> IO[str] | None:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return open(settings.data_dir / LOCK_FILE, "a")  # noqa: SIM115 - held while init runs
    except OSError:
        return None


def _flock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _take_turn(try_take: Callable[[], bool]) -> None:
    """Wait until ``try_take`` succeeds, for INIT_WAIT_SECONDS at most."""
    deadline = time.monotonic() + INIT_WAIT_SECONDS
    told = False
    while not try_take():
        if time.monotonic() > deadline:
            raise StoreUnavailable(
                f"another 'coop init' has held the store for {INIT_WAIT_SECONDS // 60} "
                "minutes: try again when it has finished")
        if not told:
            click.echo("Waiting for another 'coop init' to finish...")
            told = True
        time.sleep(POLL_SECONDS)
