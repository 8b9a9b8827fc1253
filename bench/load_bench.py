"""Load the JSON API with many members doing mixed flows, then check nothing was lost.

    .venv/bin/python bench/load_bench.py --seconds 20 --threads 8 --members 40
    .venv/bin/python bench/load_bench.py --database-url postgresql://postgres@127.0.0.1/test

Builds a fresh store (SQLite in a temporary data dir, or a fresh schema in the given
PostgreSQL database, dropped afterwards), adds members with API tokens, starts
``gunicorn wsgi:app`` on 127.0.0.1 (gunicorn.conf.py) and a ``coop projector``, and for
a bounded time runs threads, each acting as a random member: browse (ledger, offers,
members), post an offer, record a give, confirm a give waiting for them, refer.

Afterwards, from the log alone:
- every write answered 2xx is in the log exactly once (by its id), and the log holds
  no write of that kind beyond them (an answer of 503 or a timeout wrote nothing);
- every projection equals its rebuild.

Prints requests/s, p50/p95 latency and the answers by status. Results:
docs/benchmarks.md, "Load". Bounded in time and count, loopback only, stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_bench import free_port  # noqa: E402
from coop.bootstrap import Network, build  # noqa: E402
from coop.config import Settings  # noqa: E402

WRITES = ("offer", "give", "confirm", "refer")


class Tally:
    """What the load did: latencies, statuses, and the ids of successful writes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: collections.Counter[str] = collections.Counter()
        self.written: dict[str, list[str]] = {kind: [] for kind in WRITES}

    def note(self, flow: str, status: int, seconds: float, written: str | None = None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[f"{flow} {status}"] += 1
            if written is not None:
                self.written[flow].append(written)


class Member:
    """One member's API connection."""

    def __init__(self, port: int, member_id: str, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.id, self.token = member_id, token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, f"/api/v1{path}", body=data, headers=headers)
            answer = self.conn.getresponse()
            raw = answer.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnects on the next request
            return 0, None
        parsed = json.loads(raw) if raw and answer.getheader("Content-Type", "").endswith(
            "json") else None
        return answer.status, parsed


def act(member: Member, others: list[str], tally: Tally, rng: random.Random) -> None:
    """Do one flow, chosen at random with a browse-heavy mix."""
    flow = rng.choices(["browse", "offer", "give", "confirm", "refer"], [5, 1, 2, 2, 1])[0]
    started = time.perf_counter()
    written = None
    if flow == "browse":
        status, _ = member.call("GET", rng.choice(["/ledger", "/offers", "/members", "/gives"]))
    elif flow == "offer":
        status, body = member.call("POST", "/offers", {"title": f"Help {rng.randrange(999)}",
                                                      "description": "load", "tags": []})
        written = body["id"] if status == 201 else None
    elif flow == "give":
        status, body = member.call("POST", "/gives", {
            "receiver_id": rng.choice(others), "hours": f"{rng.randint(1, 8)}.5",
            "description": "load"})
        written = body["id"] if status == 201 else None
    elif flow == "confirm":
        status, body = member.call("GET", "/gives?waiting=true")
        waiting = [g["id"] for g in (body or {}).get("items", [])
                   if g.get("role") == "received" and g.get("status") == "pending"]
        if status == 200 and waiting:
            give = rng.choice(waiting)
            status, _ = member.call("POST", f"/gives/{give}/confirm", {})
            written = give if status == 200 else None
    else:
        status, body = member.call("POST", "/referrals", {
            "receiver_id": rng.choice(others), "prospect": "Riverside Café",
            "need": "bread", "warmth": rng.randint(1, 5)})
        written = body["id"] if status == 201 else None
    tally.note(flow, status, time.perf_counter() - started, written)


def load(port: int, members: list[tuple[str, str]], threads: int, seconds: float,
         seed: int) -> Tally:
    tally = Tally()
    ids = [m for m, _ in members]
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed + n)
        conns: dict[str, Member] = {}
        while time.monotonic() < deadline:
            member_id, token = rng.choice(members)
            member = conns.get(member_id) or conns.setdefault(
                member_id, Member(port, member_id, token))
            act(member, [i for i in ids if i != member_id], tally, rng)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return tally


# -- checks ------------------------------------------------------------------------------
def check(net: Network, tally: Tally) -> list[str]:
    """Return what is wrong: writes missing or doubled, projections unlike their rebuild."""
    events: dict[str, list[str]] = {kind: [] for kind in WRITES}
    topic_kind = {"domain.offer:Offer.Posted": "offer", "domain.give:Give.Recorded": "give",
                  "domain.give:Give.Confirmed": "confirm", "domain.referral:Referral.Made": "refer"}
    start = 0
    while True:
        batch = net.app.recorder.select_notifications(start + 1, 5000)
        if not batch:
            break
        for n in batch:
            kind = topic_kind.get(n.topic)
            if kind:
                events[kind].append(str(net.app.mapper.to_domain_event(n).originator_id))
        start = batch[-1].id
    problems = []
    for kind in WRITES:
        answered = collections.Counter(tally.written[kind])
        logged = collections.Counter(events[kind])
        if answered != logged:
            problems.append(f"{kind}: {sum(answered.values())} answered 2xx, "
                            f"{sum(logged.values())} in the log, differing ids: "
                            f"{len(set(answered) ^ set(logged))}")
    net.projector.catch_up()
    built = snapshot(net)
    for name in net.projector.projections:
        net.projector.rebuild(name)
    rebuilt = snapshot(net)
    problems += [f"projection table {t} differs from its rebuild"
                 for t in built if built[t] != rebuilt.get(t)]
    return problems


def snapshot(net: Network) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    with net.read_models.reading() as tx:
        for projection in net.projector.projections.values():
            for table in projection.tables:
                rows = tx.fetchall(f"SELECT * FROM {{{table.name}}}")
                tables[table.name] = sorted(map(repr, rows))
    return tables


# -- the run -----------------------------------------------------------------------------
def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped; see its log") from None
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    seconds = min(args.seconds, 600)  # bounded, whatever is asked

    folder = Path(tempfile.mkdtemp(prefix="coop-load-"))
    url, schema = args.database_url, None
    if url:
        import psycopg

        schema = f"coop_load_{uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    settings = Settings(data_dir=folder / "instance", database_url=url)
    net = build(settings, create_tables=True)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        members = []
        for i in range(args.members):
            member_id = net.members.add(email=f"load{i}@coop.test", name=f"Load Member {i}")
            members.append((str(member_id), net.tokens.create(member_id, name="load")["token"]))
        port = free_port()
        env = {**os.environ, "COOP_DATA_DIR": str(settings.data_dir),
               "COOP_BIND": f"127.0.0.1:{port}", "COOP_SECRET_KEY": "load-" + "s" * 40,
               "COOP_ENV": "production"}
        env.pop("COOP_DATABASE_URL", None)
        if url:
            env["COOP_DATABASE_URL"] = url
        if args.workers:
            env["COOP_WORKERS"] = str(args.workers)
        bin_dir = Path(sys.executable).parent
        servers.append(start([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py",
                              "--access-logfile", "/dev/null", "wsgi:app"], env,
                             folder / "gunicorn.log"))
        servers.append(start([str(bin_dir / "coop"), "projector", "--interval", "0.5"], env,
                             folder / "projector.log"))
        wait_for(port, servers[0])
        tally = load(port, members, args.threads, seconds, args.seed)
        for server in servers:
            server.terminate()
            server.wait(60)
        total = len(tally.latencies)
        ms = sorted(x * 1000 for x in tally.latencies)
        print(f"backend: {settings.backend}, {args.threads} threads, {args.members} members, "
              f"{seconds:g} s, workers: {args.workers or 'gunicorn.conf.py default'}")
        print(f"flows: {total}, {total / seconds:.1f}/s, p50 {statistics.median(ms):.1f} ms, "
              f"p95 {ms[int(len(ms) * 0.95)]:.1f} ms, max {ms[-1]:.1f} ms")
        for key, count in sorted(tally.statuses.items()):
            print(f"  {key}: {count}")
        problems = check(net, tally)
        print("checks: " + ("every 2xx write in the log exactly once, none other; "
                            "every projection equals its rebuild" if not problems
                            else "; ".join(problems)))
        if problems:
            raise SystemExit(1)
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait()
        net.close()
        if schema:
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
