"""Several `coop projector` processes: one active per projection, a standby takes over
when it dies; on PostgreSQL a new event wakes the projector before its next poll."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from coop.bootstrap import Network
from coop.config import Settings

COOP = str(Path(sys.executable).parent / "coop")


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.1)


class Projector:
    """One `coop projector` process, its output in a file."""

    def __init__(self, settings: Settings, out: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
        env["COOP_DATA_DIR"] = str(settings.data_dir)
        if settings.database_url:
            env["COOP_DATABASE_URL"] = settings.database_url
        env["PYTHONUNBUFFERED"] = "1"
        self.out = out
        with out.open("w") as sink:
            self.process = subprocess.Popen([COOP, "projector", *args], env=env,
                                            stdout=sink, stderr=subprocess.STDOUT)

    def said(self, text: str) -> bool:
        return text in self.out.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Projector]]:
    started: list[Projector] = []

    def run(settings: Settings, *args: str) -> Projector:
        started.append(Projector(settings, tmp_path / f"projector-{len(started)}.log", *args))
        return started[-1]

    yield run
    for projector in started:
        projector.stop()


def caught_up(net: Network) -> bool:
    return all(p["lag_events"] == 0 for p in net.projector.status())


def join(net: Network, n: int) -> None:
    for i in range(n):
        net.members.add(email=f"m{uuid4().hex[:8]}-{i}@coop.test", name=f"Member {i}")


def read_models(net: Network) -> dict[str, list[str]]:
    """Return every read-model table's rows, in a stable order."""
    tables: dict[str, list[str]] = {}
    with net.read_models.reading() as tx:
        for projection in net.projector.projections.values():
            for table in projection.tables:
                rows = tx.fetchall(f"SELECT * FROM {{{table.name}}}")
                tables[table.name] = sorted(map(repr, rows))
    return tables


def test_a_standby_projector_takes_over_when_the_active_one_is_killed(
        network: Network, start: Callable[..., Projector]) -> None:
    join(network, 3)
    first = start(network.settings, "--interval", "0.2")
    wait_until(lambda: first.said("active for: activity"), "the first projector to lead")
    second = start(network.settings, "--interval", "0.2")
    wait_until(lambda: second.said("standing by"), "the second projector to stand by")
    wait_until(lambda: caught_up(network), "the first projector to catch up")

    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    join(network, 5)
    wait_until(lambda: second.said("active for: activity"), "the standby to take over")
    wait_until(lambda: caught_up(network), "the standby to project the new events")

    # Exactly once: what the projectors built equals a rebuild from the log.
    built = read_models(network)
    for name in network.projector.projections:
        network.projector.rebuild(name)
    assert read_models(network) == built


@pytest.mark.postgres
def test_on_postgresql_a_notification_wakes_the_projector_before_its_poll(
        postgres_settings: Settings, start: Callable[..., Projector]) -> None:
    from coop.bootstrap import build

    net = build(postgres_settings, create_tables=True)
    try:
        projector = start(postgres_settings, "--interval", "60")
        wait_until(lambda: projector.said("active for"), "the projector to start")
        wait_until(lambda: caught_up(net), "the first catch-up")
        join(net, 2)
        # The next poll is a minute away: only the notification can bring it this soon.
        wait_until(lambda: caught_up(net), "the notified catch-up", seconds=15)
        assert projector.said("directory: wrote")
    finally:
        net.close()


@pytest.mark.postgres
def test_without_notifications_polling_still_brings_new_events(
        postgres_settings: Settings, start: Callable[..., Projector]) -> None:
    from coop.bootstrap import build

    net = build(postgres_settings, create_tables=True)
    try:
        projector = start(postgres_settings, "--interval", "0.3", "--no-listen")
        wait_until(lambda: projector.said("active for"), "the projector to start")
        join(net, 2)
        wait_until(lambda: caught_up(net), "the polled catch-up")
    finally:
        net.close()
