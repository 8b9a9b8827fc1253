"""Two `coop projector` processes started at the same moment while members keep
writing, and the active one killed with SIGKILL in the middle of it.

test_projector_leader.py covers a standby taking over on a quiet log; this is the
busy case: the two race for every projection at start, a web request's own catch-up
races them for the ledger, the kill lands while batches are being written, and the
survivor takes over while the writes go on. At the end every projection is at the
log's head and equals its rebuild, and the ledger counts each confirmed give once.
"""

from __future__ import annotations

import random
import re
import signal
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from coop.bootstrap import Network
from tests.integration.test_projector_faults import equals_its_rebuild
from tests.integration.test_projector_leader import (
    Projector,
    caught_up,
    start,  # noqa: F401 - the fixture
    wait_until,
)

MEMBERS = 8
WRITERS = 3
MAX_GIVES = 5_000  # a bound on the writers, far above what the seconds below allow
BEFORE_KILL = 2.0  # seconds of writing before the active projector is killed
AFTER_TAKEOVER = 1.5  # seconds of writing once the survivor holds every projection
TICK = "due-proposals"  # the projector's timed work, led like a projection

RECORDED = "domain.give:Give.Recorded"
CONFIRMED = "domain.give:Give.Confirmed"
ACTIVE = re.compile(r"(active for: (?P<names>.*)|standing by)")


def holds(projector: Projector) -> set[str]:
    """Return what the projector last said it holds (empty while standing by)."""
    said = [m for m in ACTIVE.finditer(projector.out.read_text())]
    if not said or said[-1].group("names") is None:
        return set()
    return set(said[-1].group("names").split(", "))


def confirmed_hours_in_the_log(net: Network) -> tuple[int, Decimal]:
    """Return how many gives were recorded, and the hours of those confirmed, from the
    log alone."""
    hours: dict[UUID, Decimal] = {}
    confirmed: set[UUID] = set()
    position = 0
    while batch := net.app.recorder.select_notifications(position + 1, 5000):
        for note in batch:
            if note.topic in (RECORDED, CONFIRMED):
                event = net.app.mapper.to_domain_event(note)
                if note.topic == RECORDED:
                    hours[event.originator_id] = event.hours
                else:
                    confirmed.add(event.originator_id)
        position = batch[-1].id
    return len(hours), sum((hours[g] for g in confirmed), Decimal(0))


def test_two_projectors_racing_under_writes_and_a_kill_project_each_event_once(
        network: Network, start: Callable[..., Projector]) -> None:  # noqa: F811
    began = time.monotonic()
    members = [network.members.add(email=f"racer{i}@coop.test", name=f"Racer {i}")
               for i in range(MEMBERS)]
    stop = threading.Event()
    errors: list[BaseException] = []
    started, written = [0], [0]  # gives begun, and recorded
    lock = threading.Lock()

    def write(seed: int) -> None:
        # Gives between random members; four in five confirmed by their receiver.
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                with lock:
                    if started[0] >= MAX_GIVES:
                        return
                    started[0] += 1
                giver, receiver = rng.sample(members, 2)
                give = network.gives.record(receiver_id=receiver, by=giver,
                                            hours=f"{rng.randint(1, 12) / 4}",
                                            description="race")
                with lock:
                    written[0] += 1
                if rng.random() < 0.8:
                    network.gives.confirm(give, by=receiver)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    def read() -> None:
        # A member reading the ledger: the request catches the ledger up itself,
        # racing the projectors batch for batch.
        try:
            while not stop.wait(0.05):
                network.ledger.ledger()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(WRITERS)]
    threads.append(threading.Thread(target=read, daemon=True))
    everything = {*network.projector.projections, TICK}
    try:
        for thread in threads:
            thread.start()
        # Both at the same moment, while the log grows.
        first = start(network.settings, "--interval", "0.2")
        second = start(network.settings, "--interval", "0.2")
        both = (first, second)
        wait_until(lambda: holds(first) | holds(second) == everything,
                   "the two projectors to take every projection between them")
        # Never one projection held by both.
        assert not holds(first) & holds(second), (holds(first), holds(second))
        time.sleep(BEFORE_KILL)
        assert not errors, errors

        victim = max(both, key=lambda p: len(holds(p)))
        survivor = second if victim is first else first
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        said_before = len(survivor.out.read_text())
        wait_until(lambda: holds(survivor) == everything,
                   "the survivor to take over every projection", seconds=15)
        at_takeover = written[0]
        time.sleep(AFTER_TAKEOVER)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "writers still running"
    assert not errors, errors
    assert written[0] > at_takeover, "no writes after the takeover"

    wait_until(lambda: caught_up(network), "the survivor to reach the head", seconds=60)
    assert survivor.process.poll() is None, survivor.out.read_text()
    # The survivor did the work after the kill, on every projection it took over that
    # reads gives (but the ledger, which the reader keeps up as well).
    taken_over = survivor.out.read_text()[said_before:]
    for name in holds(victim) - {TICK, "ledger"}:
        if RECORDED in network.projector.projection(name).topics():
            assert f"{name}: wrote" in taken_over, (name, taken_over)

    # Each event once: the ledger counts every confirmed give's hours once...
    gives, hours = confirmed_hours_in_the_log(network)
    totals = network.ledger.ledger()["totals"]
    assert gives >= WRITERS, gives
    assert totals["given"] == totals["received"] == hours, (totals, hours)
    # ...and every projection equals a rebuild from the log.
    equals_its_rebuild(network)
    print(f"\nrace ({network.settings.backend}): {gives} gives, "
          f"{network.projector.head()} events; {len(holds(victim))} of "
          f"{len(everything)} held by the killed projector; "
          f"test {time.monotonic() - began:.1f} s")
