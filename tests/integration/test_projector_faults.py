"""The projector killed with SIGKILL in the middle of its work, then started again:
nothing is lost, nothing is projected twice, and no half-built read model is served."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable

from coop.bootstrap import Network
from coop.config import Settings
from domain.give import Give
from domain.member import Member
from domain.referral import Referral
from projections.rebuild import BUILD_MARK
from tests.integration.test_projector_leader import (
    COOP,
    Projector,
    caught_up,
    read_models,
    start,  # noqa: F401 - the fixture
    wait_until,
)

# Enough events that catching up or rebuilding takes a second or more, so the kill
# lands while the work is under way.
EVENTS = 6_000
CHUNK = 600  # aggregates per save: one transaction, as a busy network writes them


def fill(net: Network, total: int = EVENTS, seed: int = 8) -> None:
    """Save about ``total`` events: members, gives (confirmed or disputed), referrals."""
    rng = random.Random(seed)
    members = [Member.join(email=f"m{i}@faults.coop", name=f"Member {i}") for i in range(60)]
    net.app.save(*members)
    while net.app.recorder.max_notification_id() < total:
        batch = []
        for _ in range(CHUNK):
            a, b = rng.sample(members, 2)
            if rng.random() < 0.9:
                give = Give.record(giver=a.id, receiver=b.id, hours=f"{rng.randint(1, 16) / 4}",
                                   description="help", by=a.id)
                if rng.random() < 0.85:
                    give.confirm(by=b.id)
                else:
                    give.dispute(reason="not so", by=b.id)
                batch.append(give)
            else:
                referral = Referral.make(referrer=a.id, receiver=b.id, prospect="a shop",
                                         need="bread", warmth=3, by=a.id)
                referral.accept(by=b.id)
                batch.append(referral)
        net.app.save(*batch)


def environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
    env["COOP_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["COOP_DATABASE_URL"] = settings.database_url
    return env


def build_tables(net: Network) -> set[str]:
    """Return the tables of a rebuild in progress (or of one that was interrupted)."""
    with net.read_models.reading() as tx:
        return {name for name in net.read_models.table_names(tx) if BUILD_MARK in name}


def equals_its_rebuild(net: Network) -> None:
    """Assert every projection is at the head and holds what a rebuild from the log holds."""
    head = net.projector.head()
    assert [p["position"] for p in net.projector.status()] == [head] * len(
        net.projector.projections)
    built = read_models(net)
    for name in net.projector.projections:
        net.projector.rebuild(name)
    assert read_models(net) == built


def test_a_projector_killed_mid_catch_up_resumes_where_it_stopped(
        network: Network, start: Callable[..., Projector]) -> None:  # noqa: F811
    fill(network)
    head = network.projector.head()
    first = start(network.settings, "--interval", "0.2")

    def under_way() -> bool:
        positions = [p["position"] for p in network.projector.status()]
        return any(positions) and min(positions) < head

    wait_until(under_way, "the catch-up to start", seconds=30)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    # Killed part-way: some of the log is projected, some is not yet.
    assert not caught_up(network)

    second = start(network.settings, "--interval", "0.2")
    wait_until(lambda: caught_up(network), "the restarted projector to catch up", seconds=60)
    second.stop()
    equals_its_rebuild(network)


def test_a_rebuild_killed_mid_way_leaves_the_live_read_models_and_runs_again(
        network: Network) -> None:
    fill(network)
    network.projector.catch_up()
    projected = read_models(network)
    env = environment(network.settings)
    rebuild = subprocess.Popen([COOP, "projections", "rebuild"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not build_tables(network) and rebuild.poll() is None:
            assert time.monotonic() < deadline, "the rebuild never created its tables"
            time.sleep(0.02)
    finally:
        rebuild.send_signal(signal.SIGKILL)  # does nothing if it has ended already
        rebuild.wait()
    # Killed before its swap: its half-built tables are left aside, and the read
    # models members see are the ones the projector built, still at the head.
    assert rebuild.returncode == -signal.SIGKILL
    assert build_tables(network)
    assert read_models(network) == projected
    assert caught_up(network)

    again = subprocess.run([COOP, "projections", "rebuild"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert not build_tables(network)
    assert caught_up(network)
    assert read_models(network) == projected
