"""``coop projector`` and ``coop projections status|rebuild``: keeping read models current."""

from __future__ import annotations

import gc
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import click
from eventsourcing.persistence import InterfaceError, OperationalError

from coop.bootstrap import Network
from coop.cli.common import network
from domain.errors import CoopError, first_line
from projections.leader import Leadership
from projections.notify import Wakeup


# Projecting decodes events by the hundred thousand, each garbage a moment later,
# and makes no reference cycles worth hunting: the collector's passes over a batch's
# live events cost a fifth of a rebuild. So the long-running projector collects less
# often, and a rebuild (a short process) not at all until it is done.
BULK_GC_THRESHOLDS = (100_000, 50, 100)


def register(cli: click.Group) -> None:
    cli.add_command(projector)
    cli.add_command(projections)


def collect_garbage_for_bulk_work() -> None:
    """Tune this process's garbage collector for projecting (see BULK_GC_THRESHOLDS)."""
    gc.freeze()  # what is loaded by now lives as long as the process: never scan it
    gc.set_threshold(*BULK_GC_THRESHOLDS)


@contextmanager
def no_garbage_collection() -> Iterator[None]:
    """Run the block without the cycle collector, then collect once."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@click.command()
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(min=0.05),
              help="Seconds between polls of the log.")
@click.option("--once", is_flag=True, help="Catch up once and exit.")
@click.option("--no-listen", is_flag=True,
              help="On PostgreSQL, poll only: do not wake on the log's notifications.")
def projector(interval: float, once: bool, no_listen: bool) -> None:
    """Keep the read models current: project new events until stopped (Ctrl-C, SIGTERM).

    Several may run, on several hosts: one is active per projection, the others
    stand by and take over when it stops."""
    collect_garbage_for_bulk_work()
    with network() as net:
        if once:
            done = net.projector.catch_up()
            click.echo("Caught up: " + ", ".join(f"{n} +{c} events" for n, c in done.items()))
            return
        stop = threading.Event()
        with _stopping_on_signals(stop):
            click.echo(f"Projecting {', '.join(sorted(net.projector.projections))} every "
                       f"{interval:g}s; stop with Ctrl-C or SIGTERM.")
            leadership = Leadership(net.read_models.params)
            wakeup = Wakeup(net.read_models.params,
                            getattr(net.app.recorder, "channel_name", None),
                            listen=not no_listen)
            try:
                net.projector.run(interval, stop, report=_report,
                                  tick=lambda: _close_due_proposals(net),
                                  leader=leadership.take, wait=wakeup.wait)
            finally:
                wakeup.close()
                leadership.close()
        click.echo("Projector stopped.")


def _close_due_proposals(net: Network) -> None:
    """Close the proposals whose closing time has passed, whether or not anyone looks."""
    try:
        done = net.proposals.close_due()
    except (CoopError, OperationalError, InterfaceError) as error:
        # The store is busy or down (finding the open proposals reads the log itself,
        # so a restart surfaces as the library's own error): the next poll tries again.
        _report(f"closing due proposals: {first_line(error)}")
        return
    for proposal in done["closed"]:
        _report(f"closed proposal '{proposal['title']}': {proposal['outcome']}")
    for proposal in done["failed"]:
        _report(f"could not close proposal '{proposal['title']}': {proposal['error']}")


def _report(message: str) -> None:
    click.echo(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}Z {message}")


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Make SIGINT and SIGTERM end the loop after the batch in hand, not mid-write."""
    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@click.group()
def projections() -> None:
    """Look after the read models built from the log."""


@projections.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def status(fmt: str) -> None:
    """Show each projection's position and how far behind the log it is."""
    with network() as net:
        report = net.projector.status()
    if fmt == "json":
        click.echo(json.dumps({"projections": report}, indent=2))
        return
    click.echo(f"{'projection':<12} {'position':>10} {'head':>10} {'lag (events)':>13} "
               f"{'lag (seconds)':>14}")
    for p in report:
        note = "  needs 'coop projections rebuild'" if p["outdated"] else ""
        click.echo(f"{p['name']:<12} {p['position']:>10} {p['head']:>10} "
                   f"{p['lag_events']:>13} {p['lag_seconds']:>14.1f}{note}")


@projections.command("rebuild")
@click.argument("name", required=False)
def rebuild(name: str | None) -> None:
    """Rebuild NAME (default: every projection) from the whole log, then swap it in."""
    with network() as net, no_garbage_collection():
        names = [net.projector.projection(name).name] if name else sorted(
            net.projector.projections)
        for each in names:
            started = time.monotonic()
            with _progress(f"Rebuilding {each}", net.projector.head()) as update:
                position = net.projector.rebuild(each, progress=update)
            seconds = time.monotonic() - started
            click.echo(f"Rebuilt {each} up to log position {position} in {seconds:.1f} s.")


@contextmanager
def _progress(label: str, length: int) -> Iterator[Callable[[int, int], None]]:
    """Yield a progress callback: a bar on a terminal's stderr, silence otherwise."""
    if not sys.stderr.isatty():
        yield lambda position, head: None
        return
    with click.progressbar(length=max(length, 1), label=label, file=sys.stderr) as bar:
        def update(position: int, head: int) -> None:
            bar.update(min(position, bar.length) - bar.pos)

        yield update
