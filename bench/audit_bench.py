"""Benchmark the audit log: export and verify rates, and their peak memory.

    .venv/bin/python bench/audit_bench.py --events 100000 --events 1000000
    .venv/bin/python bench/audit_bench.py --events 100000 \
        --database-url postgresql://postgres@127.0.0.1:5432/test

For each size: writes a fresh store of real Coop events (members joining, gives
recorded and confirmed, referrals made, accepted and closed), saved in bulk through
the application; catches the audit chain up (the projection computing every hash);
then, each in a fresh child process so that its peak memory is its own:

- export: ``coop audit export`` of the whole log to a JSON Lines file, and to CSV;
- verify: ``coop audit verify`` of the JSON Lines file, and of the CSV.

Peak memory is the child's peak resident set size (VmHWM), which includes the
interpreter and its imports: what a server would see. Results and the machine
they ran on: docs/benchmarks.md ("Audit export").
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop.audit.export import Selection  # noqa: E402
from coop.audit.verify import read, verify  # noqa: E402
from coop.bootstrap import Network, build  # noqa: E402
from coop.config import Settings  # noqa: E402
from coop.services.authority import OPERATOR  # noqa: E402
from domain import clock  # noqa: E402
from domain.give import Give  # noqa: E402
from domain.member import Member  # noqa: E402
from domain.referral import Referral  # noqa: E402
from stores import fresh_schema  # bench/stores.py: run as a script, bench/ is on the path

START = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN = timedelta(days=730)
CHUNK = 600  # aggregates per app.save(): one transaction


def generate(net: Network, total: int, seed: int = 1) -> None:
    """Save about ``total`` real Coop events, in bulk."""
    rng = random.Random(seed)
    with clock.frozen_at(START):
        members = [Member.join(email=f"m{i}@bench.coop", name=f"Member {i}",
                               business="Bench & Co") for i in range(max(50, total // 1000))]
        net.app.save(*members)
    count = net.app.last_position()
    while count < total:
        batch: list[Any] = []
        with clock.frozen_at(START + SPAN * (count / total)):
            for _ in range(CHUNK):
                a, b = rng.sample(members, 2)
                if rng.random() < 0.8:
                    item: Any = Give.record(giver=a.id, receiver=b.id,
                                            hours=f"{rng.randint(1, 32) / 4}",
                                            description="Helped with the accounts", by=a.id)
                    item.confirm(by=b.id)
                else:
                    item = Referral.make(referrer=a.id, receiver=b.id, prospect="Müller GmbH",
                                         need="a new roof", warmth=4, by=a.id)
                    item.accept(by=b.id)
                    item.close_business(value=f"{rng.randint(10, 5000)}.00", currency="EUR",
                                        by=b.id)
                batch.append(item)
        count += sum(len(x.pending_events) for x in batch)
        net.app.save(*batch)


# -- children: one measured task each, reporting JSON on stdout -------------------------
def child_export(settings: Settings, fmt: str, out: Path) -> dict[str, Any]:
    net = build(settings)
    try:
        started = time.perf_counter()
        made = net.audit.export(Selection(), fmt, by=OPERATOR)
        with open(out, "w", encoding="utf-8", newline="") as file:
            for chunk in made.chunks:
                file.write(chunk)
        return {"lines": made.lines, "seconds": time.perf_counter() - started}
    finally:
        net.close()


def child_verify(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    report = verify(read(path))
    return {"lines": report.lines, "seconds": time.perf_counter() - started}


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB.

    VmHWM rather than getrusage's ru_maxrss: on Linux a child started by fork and
    exec keeps the parent's ru_maxrss, which would count the store generation here.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def in_child(*args: str) -> dict[str, Any]:
    """Run this script as a child doing one task; return its figures and peak memory."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def run(events: int, database_url: str | None, folder: Path) -> dict[str, Any]:
    settings = Settings(data_dir=folder / "instance", database_url=database_url)
    net = build(settings, create_tables=True)
    try:
        started = time.perf_counter()
        generate(net, events)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        projected = net.projector.catch_up(["audit"])["audit"]
        project_s = time.perf_counter() - started
    finally:
        net.close()
    result: dict[str, Any] = {"backend": settings.backend, "events": projected,
                              "generate_s": generated, "project_rate": projected / project_s}
    env = json.dumps({"data_dir": str(settings.data_dir), "database_url": database_url})
    for fmt in ("jsonl", "csv"):
        out = folder / f"export.{fmt}"
        result[f"export_{fmt}"] = in_child("export", env, fmt, str(out))
        result[f"verify_{fmt}"] = in_child("verify", str(out))
        result[f"size_{fmt}_mb"] = out.stat().st_size / 1e6
    return result


def report(result: dict[str, Any]) -> None:
    print(f"{result['backend']}: {result['events']:,} events; generated in "
          f"{result['generate_s']:.0f} s; audit projection {result['project_rate']:,.0f} events/s")
    for task in ("export_jsonl", "export_csv", "verify_jsonl", "verify_csv"):
        figures = result[task]
        print(f"  {task.replace('_', ' '):<13} {figures['lines'] / figures['seconds']:>9,.0f} "
              f"lines/s  ({figures['seconds']:.1f} s, peak {figures['maxrss_mb']:.0f} MB)")
    print(f"  files: JSON Lines {result['size_jsonl_mb']:.0f} MB, "
          f"CSV {result['size_csv_mb']:.0f} MB")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        task, *args = sys.argv[2:]
        if task == "export":
            env = json.loads(args[0])
            figures = child_export(Settings(data_dir=Path(env["data_dir"]),
                                            database_url=env["database_url"]),
                                   args[1], Path(args[2]))
        else:
            figures = child_verify(Path(args[0]))
        figures["maxrss_mb"] = peak_rss_mb()
        print(json.dumps(figures))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, action="append",
                        help="log size (repeatable; default 100000)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where files go (default: a temporary folder)")
    args = parser.parse_args()
    for events in args.events or [100_000]:
        with tempfile.TemporaryDirectory(dir=args.data_dir) as folder, \
                fresh_schema(args.database_url, "bench_audit") as url:
            report(run(events, url, Path(folder)))


if __name__ == "__main__":
    main()
