"""Benchmark governance: counting 10,000 ballots, and casting ballots concurrently.

    .venv/bin/python bench/tally_bench.py
    .venv/bin/python bench/tally_bench.py --voters 2000 --threads 1 4 8 \
        --database-url postgresql://postgres@127.0.0.1:5432/test

Measures, in the same run:

- tally: our pure IRV and Schulze counts of 10,000 complete rankings over 5 options,
  beside pref_voting's ``instant_runoff`` and ``beat_path`` (Schulze) on the same
  profile (its Profile construction timed apart), with the winners compared;
- casting: ballots per second through ``Ballots.cast`` (load the proposal, check the
  voter, seal if secret, save one new aggregate) from N threads sharing one network,
  on a fresh store with an electorate of ``--voters`` members, open and secret;
- close: ``close_early`` of the secret proposal (read the log up to the cut, open every
  sealed ballot, count, save the Closed event) and the ``coop tally`` recount.

Results and the machine they ran on: docs/benchmarks.md ("Governance").
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop.bootstrap import Network, build  # noqa: E402
from coop.config import Settings  # noqa: E402
from coop.services.authority import OPERATOR  # noqa: E402
from domain import clock  # noqa: E402
from domain.circle import Circle  # noqa: E402
from domain.counting import count  # noqa: E402
from domain.counting.common import Rules  # noqa: E402
from domain.member import Member  # noqa: E402
from stores import fresh_schema  # bench/stores.py: run as a script, bench/ is on the path

OPTIONS = ["Aster", "Birch", "Cedar", "Damson", "Elder"]


def profile(ballots: int, seed: int) -> list[list[int]]:
    """Return complete rankings with some agreement (noisy scores around a common order),
    so that instant runoff takes several rounds and Schulze has real paths."""
    rng = random.Random(seed)
    base = [0.0, 0.15, 0.3, 0.45, 0.6]
    return [sorted(range(5), key=lambda o: base[o] + rng.gauss(0, 0.5)) for _ in range(ballots)]


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Return the median seconds of ``runs`` runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_tally(ballots: int, runs: int) -> list[str]:
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles import Profile

    votes = profile(ballots, seed=5)
    build_s, prof = best_of(runs, lambda: Profile(votes))
    ms = lambda seconds: f"{seconds * 1000:,.2f} ms"  # noqa: E731
    lines = [f"| pref_voting: Profile({ballots:,} rankings), built once | {ms(build_s)} | "
             "counts the rankings and the margins |"]
    for method, theirs in (("irv", instant_runoff), ("schulze", beat_path)):
        rules = Rules.make(method=method, options=OPTIONS)
        ours_s, tally = best_of(runs, lambda: count(rules, votes, electorate=ballots, seed="b"))
        theirs(prof)  # warm up (numba compiles on first call)
        their_s, winners = best_of(runs, lambda: theirs(prof))
        agree = "same winner" if winners == [tally["winner"]] else f"DIFFER {winners}"
        detail = (f"{len(tally['rounds'])} rounds, winner {OPTIONS[tally['winner']]}"
                  if method == "irv" else f"winner {OPTIONS[tally['winner']]}")
        lines.append(f"| {method}: ours, from the ballots | {ms(ours_s)} | {detail} |")
        lines.append(f"| {method}: pref_voting, method on the built Profile | {ms(their_s)} | "
                     f"{agree} |")
        lines.append(f"| {method}: pref_voting, Profile + method | {ms(build_s + their_s)} | "
                     "same input as ours |")
    return lines


def electorate(net: Network, voters: int) -> tuple[UUID, list[UUID]]:
    """Add ``voters`` members in one circle, saved in bulk (setup, not measured)."""
    members = [Member.join(email=f"voter{i}@bench.test", name=f"Voter {i}", by=OPERATOR)
               for i in range(voters)]
    for start in range(0, voters, 500):
        net.app.save(*members[start:start + 500])
    circle = Circle.form(name="Bench", purpose="", parent=None, by=OPERATOR)
    for m in members:
        circle.admit(member_id=m.id, parent=None, by=OPERATOR)
    net.app.save(circle)
    return circle.id, [m.id for m in members]


def bench_casting(net: Network, circle: UUID, voters: list[UUID], threads: int,
                  secret: bool) -> tuple[float, UUID]:
    pid = net.proposals.draft(circle_id=circle, title="Trees", text="Which trees?",
                              method="irv", options=OPTIONS, by=voters[0])
    net.proposals.open(pid, closes_at=clock.now() + timedelta(days=1), secret=secret,
                       allow_early_close=True, by=OPERATOR)
    rng = random.Random(threads)
    choices = {v: rng.sample(range(5), rng.randint(1, 5)) for v in voters}
    shares = [voters[i::threads] for i in range(threads)]
    start_line = threading.Barrier(threads + 1)

    def cast(share: list[UUID]) -> None:
        start_line.wait()
        for voter in share:
            net.ballots.cast(pid, choices[voter], by=voter)

    workers = [threading.Thread(target=cast, args=(s,)) for s in shares]
    for w in workers:
        w.start()
    start_line.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    return len(voters) / (time.perf_counter() - start), pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    print(f"Machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}")
    print(f"\nTally of {args.ballots:,} ballots over 5 options (median of {args.runs}):\n")
    print("| what | time | note |\n|---|---|---|")
    for line in bench_tally(args.ballots, args.runs):
        print(line)

    with tempfile.TemporaryDirectory() as tmp, fresh_schema(args.database_url, "bench") as url:
        settings = Settings(data_dir=Path(tmp), database_url=url)
        net = build(settings, create_tables=True)
        try:
            circle, voters = electorate(net, args.voters)
            print(f"\nCasting {args.voters:,} ballots ({settings.backend}), one network shared "
                  "by N threads:\n")
            print("| threads | open ballots/s | secret ballots/s |\n|---|---|---|")
            last = None
            for n in args.threads:
                open_rate, _ = bench_casting(net, circle, voters, n, secret=False)
                secret_rate, last = bench_casting(net, circle, voters, n, secret=True)
                print(f"| {n} | {open_rate:,.0f} | {secret_rate:,.0f} |")
            assert last is not None
            start = time.perf_counter()
            net.proposals.close_early(last, by=OPERATOR)
            closed_s = time.perf_counter() - start
            start = time.perf_counter()
            report = net.proposals.recount(last)
            recount_s = time.perf_counter() - start
            assert report["agrees"], report["problems"]
            print(f"\nClose of the secret proposal ({args.voters:,} sealed ballots): "
                  f"{closed_s * 1000:,.0f} ms; recount (with the sealed-ballot check): "
                  f"{recount_s * 1000:,.0f} ms; log of {net.app.last_position():,} events.")
        finally:
            net.close()


if __name__ == "__main__":
    main()
