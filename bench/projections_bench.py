"""Benchmark the projector: catch-up and rebuild against the raw read rate.

    .venv/bin/python bench/projections_bench.py --events 100000
    .venv/bin/python bench/projections_bench.py --events 100000 \
        --database-url postgresql://postgres@127.0.0.1:5432/test

Writes a fresh store of real Coop events (members, circles, gives confirmed,
disputed and reversed, referrals with business closed, spread over two years),
saved in bulk through the application, then measures in the same run:

- raw: the library reading the ledger's notifications and decoding them
  (``select_notifications`` + ``mapper.to_domain_event``), nothing else;
- catch-up: the live projector from position 0 (batches of 1000);
- rebuild: ``coop projections rebuild ledger`` (fresh tables, swap);
- reads: one member's ledger and statement. A "probe" member has the same 200
  gives in every store size, so the time says whether a read depends on the
  size of the log (it should not) rather than on the member's own history.

Results and the machine they ran on: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop.bootstrap import Network, build  # noqa: E402
from coop.cli.projections import (  # noqa: E402
    collect_garbage_for_bulk_work,
    no_garbage_collection,
)
from coop.config import Settings  # noqa: E402
from domain import clock  # noqa: E402
from domain.circle import Circle  # noqa: E402
from domain.give import Give  # noqa: E402
from domain.member import Member  # noqa: E402
from domain.referral import Referral  # noqa: E402
from projections.ledger import LedgerProjection, LedgerQueries  # noqa: E402
from projections.rebuild import REBUILD_BATCH  # noqa: E402
from stores import fresh_schema  # bench/stores.py: run as a script, bench/ is on the path

START = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN = timedelta(days=730)
PROBE_GIVES = 200
MIDWAY = (START + SPAN / 2).date().replace(day=15)  # an "as of" date mid-month
CHUNK = 600  # aggregates per app.save(): one transaction


def generate(net: Network, total: int, seed: int = 1) -> None:
    """Save about ``total`` real Coop events, in bulk."""
    rng = random.Random(seed)
    app = net.app
    with clock.frozen_at(START):
        members = [Member.join(email=f"m{i}@bench.coop", name=f"Member {i}")
                   for i in range(max(50, total // 1000))]
        probe = Member.join(email="probe@bench.coop", name="Probe")
        partner = Member.join(email="partner@bench.coop", name="Partner")
        top = [Circle.form(name=f"Circle {i}", purpose="", parent=None, by=members[0].id)
               for i in range(8)]
        circles = top + [Circle.form(name=f"Group {i}", purpose="", parent=top[i], by=members[0].id)
                         for i in range(2)]
        in_circle: dict[Any, list[Member]] = {}
        for c in circles:
            pool = in_circle[c.parent_id] if c.parent_id else members
            chosen = rng.sample(pool, max(2, len(pool) // 4))
            parent = next((p for p in top if p.id == c.parent_id), None)
            for m in chosen:
                c.admit(member_id=m.id, parent=parent, by=members[0].id)
            in_circle[c.id] = chosen
        _save(app, [*members, probe, partner])
        _save(app, circles)
    count = app.last_position()
    probes_done = 0
    while count < total:
        moment = START + SPAN * (count / total)
        batch: list[Any] = []
        with clock.frozen_at(moment):
            # The probe's history is the same at every size: PROBE_GIVES spread evenly.
            while probes_done < PROBE_GIVES * count / total:
                a, b = (probe, partner) if probes_done % 2 else (partner, probe)
                g = Give.record(giver=a.id, receiver=b.id, hours="1.5", description="probe",
                                by=a.id)
                g.confirm(by=b.id)
                batch.append(g)
                probes_done += 1
            while len(batch) < CHUNK:
                batch.append(_activity(rng, members, circles, in_circle))
        count += sum(len(a.pending_events) for a in batch)
        _save(app, batch)


def _activity(rng: random.Random, members: list[Member], circles: list[Circle],
              in_circle: dict[Any, list[Member]]) -> Any:
    circle = rng.choice(circles) if rng.random() < 0.5 else None
    a, b = rng.sample(in_circle[circle.id] if circle else members, 2)
    if rng.random() < 0.85:
        g = Give.record(giver=a.id, receiver=b.id, hours=f"{rng.randint(1, 32) / 4}",
                        description="help", circle_id=circle.id if circle else None, by=a.id)
        fate = rng.random()
        if fate < 0.8:
            g.confirm(by=b.id)
            if fate < 0.05:
                g.reverse(reason="mistake", by=members[0].id)
        elif fate < 0.87:
            g.dispute(reason="not so", by=b.id)
        return g
    r = Referral.make(referrer=a.id, receiver=b.id, prospect="a shop", need="x", warmth=3,
                      circle_id=circle.id if circle else None, by=a.id)
    r.accept(by=b.id)
    if rng.random() < 0.6:
        r.close_business(value=f"{rng.randint(10, 5000)}.00", currency="EUR", by=b.id)
    return r


def _save(app: Any, aggregates: list[Any]) -> None:
    app.save(*aggregates)


def raw_read(net: Network) -> int:
    """Read and decode the ledger's notifications as the library does; return how many."""
    recorder, decode = net.app.recorder, net.app.mapper.to_domain_event
    topics = LedgerProjection().topics()
    position, events = 0, 0
    while True:
        notes = recorder.select_notifications(position, REBUILD_BATCH, topics=topics,
                                              inclusive_of_start=False)
        if not notes:
            return events
        for n in notes:
            decode(n)
        events += len(notes)
        position = notes[-1].id


def clocked(work: Any, times: int = 1) -> tuple[Any, float, float]:
    """Return (result, best wall seconds, best CPU seconds) of ``times`` runs of ``work``.

    The best of a few runs, and CPU time beside wall time, because the machine may
    be shared: CPU time is what the work itself costs.
    """
    walls, cpus, result = [], [], None
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), min(cpus)


def median_ms(work: Any, times: int) -> float:
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return 1000 * statistics.median(seconds)


def run(events: int, database_url: str | None, data_dir: Path) -> dict[str, Any]:
    net = build(Settings(data_dir=data_dir, database_url=database_url), create_tables=True)
    try:
        _, generated, _ = clocked(lambda: generate(net, events))
        # As the commands run them: catch-up as `coop projector` (fewer collections),
        # rebuild as `coop projections rebuild` (none); the raw read at its fastest.
        with no_garbage_collection():
            read, raw_wall, raw_cpu = clocked(lambda: raw_read(net), 3)
        caught, catch_wall, catch_cpu = clocked(
            lambda: net.projector.catch_up(["ledger"])["ledger"])
        with no_garbage_collection():
            _, rebuild_wall, rebuild_cpu = clocked(lambda: net.projector.rebuild("ledger"), 2)
        queries = LedgerQueries(net.read_models)  # no catch-up: time the read alone
        probe = net.members.id_for_email("probe@bench.coop")
        assert caught == read and queries.member_ledger(probe)["given"] > 0
        return {
            "backend": net.settings.backend, "log_events": net.app.last_position(),
            "ledger_events": read, "generate_s": generated,
            "raw": (read / raw_wall, read / raw_cpu),
            "catch_up": (read / catch_wall, read / catch_cpu, catch_wall),
            "rebuild": (read / rebuild_wall, read / rebuild_cpu, rebuild_wall),
            "member_ledger_ms": median_ms(lambda: queries.member_ledger(probe), 30),
            "member_as_of_ms": median_ms(lambda: queries.member_ledger(probe, as_of=MIDWAY), 30),
            "statement_ms": median_ms(lambda: queries.statement(probe), 30),
            "network_ledger_ms": median_ms(lambda: queries.ledger(), 3),
        }
    finally:
        net.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where SQLite files go (default: a temporary folder)")
    args = parser.parse_args()
    collect_garbage_for_bulk_work()  # as `coop projector` does
    with tempfile.TemporaryDirectory(dir=args.data_dir) as folder, \
            fresh_schema(args.database_url, "bench_projections") as url:
        result = run(args.events, url, Path(folder))
    r = result
    print(f"{r['backend']}: {r['log_events']} events in the log ({r['ledger_events']} read "
          f"by the ledger), generated in {r['generate_s']:.1f} s")
    print(f"  {'':10} {'events/s (wall)':>16} {'events/s (CPU)':>15}  of raw (wall / CPU)")
    print(f"  {'raw read':10} {r['raw'][0]:>16,.0f} {r['raw'][1]:>15,.0f}")
    for what in ("catch_up", "rebuild"):
        wall, cpu, seconds = r[what]
        print(f"  {what.replace('_', '-'):10} {wall:>16,.0f} {cpu:>15,.0f}  "
              f"{wall / r['raw'][0]:.0%} / {cpu / r['raw'][1]:.0%}  ({seconds:.1f} s)")
    print(f"  probe member ({PROBE_GIVES} gives): ledger {r['member_ledger_ms']:.2f} ms, "
          f"as of {MIDWAY} {r['member_as_of_ms']:.2f} ms, statement {r['statement_ms']:.2f} ms;"
          f" whole network ledger {r['network_ledger_ms']:.0f} ms")


if __name__ == "__main__":
    main()
