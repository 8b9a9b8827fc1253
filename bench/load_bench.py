"""Load the JSON API with many members doing mixed flows, then check nothing was lost.

    .venv/bin/python bench/load_bench.py --seconds 20 --threads 8 --members 40
    .venv/bin/python bench/load_bench.py --database-url postgresql://postgres@127.0.0.1/test

Builds a fresh store (SQLite in a temporary data dir, or a fresh schema in the given
PostgreSQL database, dropped afterwards): members with API tokens (the first one a
steward), four circles (every member in one or two of them) and eight open proposals,
two per circle, covering every counting method, some secret and some with hidden
results, all closing an hour after the run but allowed to close early. Starts
``gunicorn wsgi:app`` on 127.0.0.1 (gunicorn.conf.py) and a ``coop projector``, and for
a bounded time runs threads, each acting as a random member (weights in ``MIX``):

- browse: the ledger, offers, members or gives;
- view: the open proposals of one of the member's circles, then one of them;
- offer, give, refer: post one; confirm: a give waiting for the member, if any;
- vote: cast or change (re-vote) one's ballot on an open proposal of one's circles; one
  vote in 20 is deliberately bad (a choice the method refuses, or a proposal of a
  circle one is not in) and must be refused and leave nothing behind.

Afterwards the steward closes every proposal through the API and asks for its tally,
and then, from the log alone:

- every write answered 2xx is in the log exactly once (by its id), and the log holds
  no write of that kind beyond them (an answer of 4xx, 503 or a timeout wrote nothing);
- every ballot PUT answered 2xx is one Ballot.Cast or Ballot.Changed event with that
  choice (sealed ones opened with the ballot key), and no ballot event is beyond them;
  each (proposal, voter) with a 2xx has exactly one ballot, cast once; every 2xx
  objection raised exactly one objection;
- each tally recounted from the log agrees with the one recorded at close, and counted
  exactly the voters who got a 2xx;
- every projection equals its rebuild.

Prints flows/s, p50/p95 latency and the answers by flow and status. ``run_load`` does
the same for a test (tests/integration/test_load.py). Results: docs/benchmarks.md,
"Load". Bounded in time and count, loopback only, stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventsourcing.utils import get_topic  # noqa: E402

from bench.stores import fresh_schema  # noqa: E402
from bench.web_bench import cpu_seconds, free_port  # noqa: E402
from coop.bootstrap import Network, build  # noqa: E402
from coop.config import Settings  # noqa: E402
from coop.services.ballot_log import BALLOT_TOPICS  # noqa: E402
from domain.ballot import Ballot  # noqa: E402
from domain.counting.common import APPROVAL, CONSENT, IRV, SCHULZE, YES_NO, canonical  # noqa: E402
from domain.proposal import Proposal  # noqa: E402

# How often each flow is chosen; a vote is a first ballot, a re-vote or a bad vote.
MIX = {"browse": 5, "view": 1, "offer": 1, "give": 2, "confirm": 2, "refer": 1, "vote": 3}
FLOWS = ("browse", "view", "offer", "give", "confirm", "refer", "vote", "re-vote", "bad vote")
WRITES = ("offer", "give", "confirm", "refer")
BAD_VOTES = 20  # one vote in this many is deliberately bad
CIRCLES = ("Bakers", "Builders", "Gardeners", "Makers")
BIKES = ["Cargo bike", "Shared van", "Trailer", "Nothing yet"]
# (method, options, rules): two per circle, in circle order.
PROPOSALS: list[tuple[str, list[str], dict[str, bool]]] = [
    (YES_NO, [], {}),
    (APPROVAL, BIKES, {}),
    (IRV, BIKES, {}),
    (SCHULZE, BIKES, {"secret": True}),
    (CONSENT, [], {}),
    (YES_NO, [], {"secret": True, "hidden_results": True}),
    (IRV, BIKES, {"hidden_results": True}),
    (APPROVAL, BIKES, {"secret": True}),
]
OBJECTION = "Not before the spring accounts are closed"


# -- what the load works with ------------------------------------------------------------
@dataclass(frozen=True)
class Motion:
    """One open proposal the load votes on."""

    id: str
    circle: str
    method: str
    options: int
    rules: dict[str, bool]

    def describe(self) -> str:
        flags = [name for name, on in sorted(self.rules.items()) if on]
        return self.method + (f" ({', '.join(flags)})" if flags else "")


@dataclass
class World:
    """The members, their circles and the proposals, as set up before the load."""

    members: list[tuple[str, str]]  # (member id, API token)
    steward: tuple[str, str]
    circles_of: dict[str, list[str]]
    motions: list[Motion]

    def votable(self, member: str) -> list[Motion]:
        return [m for m in self.motions if m.circle in self.circles_of[member]]

    def foreign(self, member: str) -> list[Motion]:
        return [m for m in self.motions if m.circle not in self.circles_of[member]]


def populate(net: Network, members: int, closes_at: datetime, seed: int) -> World:
    """Add the members (the first a steward), their tokens, circles and open proposals."""
    rng = random.Random(seed)
    people = []
    for i in range(members):
        member_id = net.members.add(email=f"load{i}@coop.test", name=f"Load Member {i}",
                                    steward=i == 0)
        people.append((str(member_id), net.tokens.create(member_id, name="load")["token"]))
    circles = [str(net.circles.form(name=name, purpose="load")) for name in CIRCLES]
    circles_of: dict[str, list[str]] = {}
    for i, (member_id, _) in enumerate(people):
        mine = {circles[i % len(circles)]}
        if rng.random() < 0.5:
            mine.add(rng.choice(circles))
        for circle in mine:
            net.circles.admit(circle, member_id)
        circles_of[member_id] = sorted(mine)
    motions = []
    for n, (method, options, rules) in enumerate(PROPOSALS):
        circle = circles[n % len(circles)]
        author = UUID(next(m for m, _ in people if circle in circles_of[m]))
        pid = net.proposals.draft(circle_id=circle, title=f"Load proposal {n}: {method}",
                                  text="Decided under load.", method=method, options=options,
                                  by=author)
        net.proposals.open(pid, closes_at=closes_at, allow_early_close=True, by=author,
                           **rules)
        motions.append(Motion(str(pid), circle, method, len(options) or 3, rules))
    return World(people, people[0], circles_of, motions)


class Tally:
    """What the load did: latencies and statuses by flow, and what was written."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = collections.defaultdict(list)
        self.statuses: collections.Counter[tuple[str, int]] = collections.Counter()
        self.written: dict[str, list[str]] = {kind: [] for kind in WRITES}
        # Ballot PUTs answered 2xx: (proposal id, voter id, choice as sent).
        self.ballots: list[tuple[str, str, Any]] = []
        self.last_choice: dict[tuple[str, str], Any] = {}

    def note(self, flow: str, status: int, seconds: float, written: str | None = None) -> None:
        with self.lock:
            self.latencies[flow].append(seconds)
            self.statuses[flow, status] += 1
            if written is not None:
                self.written[flow].append(written)

    def voted(self, proposal: str, voter: str, choice: Any) -> None:
        with self.lock:
            self.ballots.append((proposal, voter, choice))
            self.last_choice[proposal, voter] = choice


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

    def close(self) -> None:
        self.conn.close()


# -- the flows ---------------------------------------------------------------------------
def choice_for(motion: Motion, rng: random.Random) -> Any:
    """Return a random valid choice, in the canonical form the log keeps."""
    if motion.method == YES_NO:
        return rng.choice(["yes", "no", "abstain"])
    if motion.method == CONSENT:
        return "object" if rng.random() < 0.2 else "consent"
    picked = rng.sample(range(motion.options), rng.randint(1, motion.options))
    return sorted(picked) if motion.method == APPROVAL else picked  # a ranking keeps order


def bad_choice(motion: Motion) -> Any:
    return "maybe" if motion.method in (YES_NO, CONSENT) else [motion.options]


def vote(member: Member, world: World, tally: Tally, rng: random.Random) -> tuple[str, int]:
    """Cast or change one's ballot; one in BAD_VOTES is refused on purpose."""
    if rng.randrange(BAD_VOTES) == 0:
        if rng.random() < 0.5 and world.foreign(member.id):
            motion = rng.choice(world.foreign(member.id))  # not in its electorate: 403
            body = {"choice": choice_for(motion, rng)}
        else:
            motion = rng.choice(world.votable(member.id))
            body = {"choice": bad_choice(motion)}  # refused by the method: 422
        status, _ = member.call("PUT", f"/proposals/{motion.id}/ballot", body)
        return "bad vote", status
    motion = rng.choice(world.votable(member.id))
    before = tally.last_choice.get((motion.id, member.id))
    choice = choice_for(motion, rng)
    for _ in range(20):  # a re-vote changes the choice
        if choice != before:
            break
        choice = choice_for(motion, rng)
    body = {"choice": choice}
    if choice == "object":
        body["reason"] = OBJECTION
    status, _ = member.call("PUT", f"/proposals/{motion.id}/ballot", body)
    if 200 <= status < 300:
        tally.voted(motion.id, member.id, choice)
    return ("vote" if before is None else "re-vote"), status


def act(member: Member, world: World, tally: Tally, rng: random.Random) -> None:
    """Do one flow, chosen at random by the weights of MIX."""
    flow = rng.choices(list(MIX), list(MIX.values()))[0]
    others = [m for m, _ in world.members if m != member.id]
    started = time.perf_counter()
    written = None
    if flow == "browse":
        status, _ = member.call("GET", rng.choice(["/ledger", "/offers", "/members", "/gives"]))
    elif flow == "view":
        circle = rng.choice(world.circles_of[member.id])
        status, body = member.call("GET", f"/proposals?section=open&circle={circle}")
        listed = [p["id"] for p in (body or {}).get("items", [])]
        if status == 200 and listed:
            status, _ = member.call("GET", f"/proposals/{rng.choice(listed)}")
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
    elif flow == "refer":
        status, body = member.call("POST", "/referrals", {
            "receiver_id": rng.choice(others), "prospect": "Riverside Café",
            "need": "bread", "warmth": rng.randint(1, 5)})
        written = body["id"] if status == 201 else None
    else:
        flow, status = vote(member, world, tally, rng)
    tally.note(flow, status, time.perf_counter() - started, written)


def load(port: int, world: World, threads: int, seconds: float, seed: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed + n)
        conns: dict[str, Member] = {}
        try:
            while time.monotonic() < deadline:
                member_id, token = rng.choice(world.members)
                member = conns.get(member_id) or conns.setdefault(
                    member_id, Member(port, member_id, token))
                act(member, world, tally, rng)
        finally:
            for member in conns.values():
                member.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return tally


# -- after the load: close and recount ---------------------------------------------------
def close_and_recount(port: int, world: World, tally: Tally) -> tuple[list[dict[str, Any]],
                                                                       list[str]]:
    """Close every proposal as the steward, through the API, and check each tally."""
    voters: dict[str, set[str]] = collections.defaultdict(set)
    for proposal, voter, _ in tally.ballots:
        voters[proposal].add(voter)
    steward = Member(port, *world.steward)
    closed, problems = [], []
    try:
        for motion in world.motions:
            status, body = steward.call("POST", f"/proposals/{motion.id}/close")
            if status != 200:
                problems.append(f"closing {motion.describe()}: answer {status} "
                                f"{(body or {}).get('detail', '')}")
                continue
            status, recount = steward.call("GET", f"/proposals/{motion.id}/tally")
            if status != 200:
                problems.append(f"tally of {motion.describe()}: answer {status}")
                continue
            recorded, again = recount["recorded"], recount["tally"]
            expected = len(voters[motion.id])
            closed.append({"proposal": motion.describe(), "voters": expected,
                           "ballots": recorded["ballots"], "outcome": recorded["outcome"],
                           "agrees": recount["agrees"]})
            if not recount["agrees"] or recount["problems"]:
                problems.append(f"recount of {motion.describe()} disagrees: "
                                f"{'; '.join(recount['problems'])}")
            if recorded["ballots"] != expected or again["ballots"] != expected:
                problems.append(f"{motion.describe()}: {expected} voters got a 2xx, the close "
                                f"counted {recorded['ballots']}, the recount {again['ballots']}")
    finally:
        steward.close()
    return closed, problems


# -- checks against the log --------------------------------------------------------------
TOPIC_KIND = {"domain.offer:Offer.Posted": "offer", "domain.give:Give.Recorded": "give",
              "domain.give:Give.Confirmed": "confirm", "domain.referral:Referral.Made": "refer"}
OBJECTION_RAISED = get_topic(Proposal.ObjectionRaised)


def check(net: Network, tally: Tally, world: World) -> list[str]:
    """Return what is wrong: writes or ballots missing or doubled, projections unlike
    their rebuild."""
    events: dict[str, list[str]] = {kind: [] for kind in WRITES}
    ballot_events: list[Any] = []
    objections: collections.Counter[str] = collections.Counter()
    start = 0
    while True:
        batch = net.app.recorder.select_notifications(start + 1, 5000)
        if not batch:
            break
        for n in batch:
            kind = TOPIC_KIND.get(n.topic)
            if kind:
                events[kind].append(str(net.app.mapper.to_domain_event(n).originator_id))
            elif n.topic in BALLOT_TOPICS:
                ballot_events.append(net.app.mapper.to_domain_event(n))
            elif n.topic == OBJECTION_RAISED:
                objections[str(n.originator_id)] += 1
        start = batch[-1].id
    problems = []
    for kind in WRITES:
        answered = collections.Counter(tally.written[kind])
        logged = collections.Counter(events[kind])
        if answered != logged:
            problems.append(f"{kind}: {sum(answered.values())} answered 2xx, "
                            f"{sum(logged.values())} in the log, differing ids: "
                            f"{len(set(answered) ^ set(logged))}")
    problems += check_ballots(net, tally, world, ballot_events, objections)
    net.projector.catch_up()
    built = snapshot(net)
    for name in net.projector.projections:
        net.projector.rebuild(name)
    rebuilt = snapshot(net)
    problems += [f"projection table {t} differs from its rebuild"
                 for t in built if built[t] != rebuilt.get(t)]
    return problems


def check_ballots(net: Network, tally: Tally, world: World, ballot_events: list[Any],
                  objections: collections.Counter[str]) -> list[str]:
    """Compare the ballot PUTs answered 2xx with the ballot events, choice by choice."""
    owner = {Ballot.create_id(UUID(m.id), UUID(v)): (m.id, v)
             for m in world.motions for v, _ in world.members}
    answered: collections.Counter[tuple[UUID, str]] = collections.Counter()
    objected: collections.Counter[str] = collections.Counter()
    for proposal, voter, choice in tally.ballots:
        answered[Ballot.create_id(UUID(proposal), UUID(voter)), canonical(choice)] += 1
        if choice == "object":
            objected[proposal] += 1
    logged: collections.Counter[tuple[UUID, str]] = collections.Counter()
    casts: collections.Counter[UUID] = collections.Counter()
    problems = []
    for event in ballot_events:
        if event.originator_id not in owner:
            problems.append(f"ballot {event.originator_id} belongs to no voter of the load")
            continue
        choice = event.choice
        if event.sealed is not None:
            choice = net.ballot_box.open(UUID(owner[event.originator_id][0]),
                                         event.originator_id, event.sealed)
        logged[event.originator_id, canonical(choice)] += 1
        if isinstance(event, Ballot.Cast):
            casts[event.originator_id] += 1
    if sum(answered.values()) != len(ballot_events):
        problems.append(f"ballots: {sum(answered.values())} PUTs answered 2xx, "
                        f"{len(ballot_events)} Cast/Changed events in the log")
    if answered != logged:
        problems.append(f"ballots: {len(set(answered) ^ set(logged))} (ballot, choice) pairs "
                        "differ between the 2xx answers and the log")
    doubled = [b for b, n in casts.items() if n > 1]
    if doubled:
        problems.append(f"{len(doubled)} ballots were cast more than once")
    if set(casts) != {ballot for ballot, _ in answered}:
        problems.append("the ballots cast are not those of the (proposal, voter) pairs "
                        "that got a 2xx")
    for motion in world.motions:
        if objections[motion.id] != objected[motion.id]:
            problems.append(f"{motion.describe()}: {objected[motion.id]} objections answered "
                            f"2xx, {objections[motion.id]} raised in the log")
    return problems


def snapshot(net: Network) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    with net.read_models.reading() as tx:
        for projection in net.projector.projections.values():
            for table in projection.tables:
                rows = tx.fetchall(f"SELECT * FROM {{{table.name}}}")
                tables[table.name] = sorted(map(repr, rows))
    return tables


# -- the report --------------------------------------------------------------------------
@dataclass
class Report:
    """What a load run did and found."""

    backend: str
    seconds: float
    threads: int
    members: int
    workers: int | None
    latencies: dict[str, list[float]]
    statuses: collections.Counter[tuple[str, int]]
    written: dict[str, int]  # writes answered 2xx by kind, ballots included
    server_cpu: float  # CPU seconds the gunicorn workers used during the load
    closed: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def flows(self) -> int:
        return sum(self.statuses.values())

    def succeeded(self, flow: str) -> int:
        """Return how many flows of this kind were answered 2xx."""
        return sum(n for (f, s), n in self.statuses.items() if f == flow and 200 <= s < 300)

    @property
    def server_errors(self) -> int:
        """Return the answers of 5xx, and requests that got no answer at all (0)."""
        return sum(n for (_, s), n in self.statuses.items() if s >= 500 or s == 0)

    def percentiles(self, flow: str | None = None) -> tuple[float, float, float]:
        """Return p50, p95 and max in milliseconds (of one flow, or of all)."""
        chosen = self.latencies[flow] if flow else [
            x for xs in self.latencies.values() for x in xs]
        ms = sorted(x * 1000 for x in chosen)
        return ms[len(ms) // 2], ms[int(len(ms) * 0.95)], ms[-1]

    def lines(self) -> list[str]:
        p50, p95, top = self.percentiles()
        out = [f"backend: {self.backend}, {self.threads} threads, {self.members} members, "
               f"{self.seconds:g} s, workers: {self.workers or 'gunicorn.conf.py default'}",
               f"flows: {self.flows}, {self.flows / self.seconds:.1f}/s, p50 {p50:.1f} ms, "
               f"p95 {p95:.1f} ms, max {top:.1f} ms; gunicorn workers' CPU "
               f"{self.server_cpu * 1000 / max(self.flows, 1):.1f} ms per flow",
               "by flow (p50 / p95 ms; answers by status):"]
        for flow in FLOWS:
            if self.latencies.get(flow):
                f50, f95, _ = self.percentiles(flow)
                answers = ", ".join(f"{s}: {n}" for (f, s), n in sorted(self.statuses.items())
                                    if f == flow)
                out.append(f"  {flow:9} {f50:6.1f} / {f95:6.1f}   {answers}")
        out.append("writes answered 2xx: " + ", ".join(
            f"{kind} {n}" for kind, n in self.written.items()))
        out.append("proposals closed by the steward (voters with a 2xx / ballots counted):")
        out += [f"  {c['proposal']}: {c['voters']} / {c['ballots']}, {c['outcome']}, "
                f"recount {'agrees' if c['agrees'] else 'DISAGREES'}" for c in self.closed]
        out.append("checks: " + ("every 2xx write and ballot in the log exactly once, none "
                                 "other; every recount agrees and counted the 2xx voters; "
                                 "every projection equals its rebuild" if not self.problems
                                 else "; ".join(self.problems)))
        return out


# -- the run -----------------------------------------------------------------------------
def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {tail(log)}") from None
            time.sleep(0.1)
        finally:
            conn.close()
    raise RuntimeError("gunicorn did not answer within 30 s")


def tail(log: Path, lines: int = 5) -> str:
    return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])


def server_env(settings: Settings, port: int, workers: int | None) -> dict[str, str]:
    # Nothing of the caller's COOP_ environment: the servers see exactly this store.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
    env |= {"COOP_DATA_DIR": str(settings.data_dir), "COOP_BIND": f"127.0.0.1:{port}",
            "COOP_SECRET_KEY": "load-" + "s" * 40, "COOP_ENV": "production"}
    if settings.database_url:
        env["COOP_DATABASE_URL"] = settings.database_url
    if workers:
        env["COOP_WORKERS"] = str(workers)
    return env


def run_load(settings: Settings, *, seconds: float = 20, threads: int = 8, members: int = 40,
             workers: int | None = None, seed: int = 1) -> Report:
    """Initialise a fresh store at ``settings``, serve it, load it, close its proposals
    and check the log; return what happened. The store is left for the caller."""
    seconds = min(seconds, 600)  # bounded, whatever is asked
    if members < len(CIRCLES):
        raise ValueError(f"the load needs at least {len(CIRCLES)} members, one per circle")
    net = build(settings, create_tables=True)
    servers: list[subprocess.Popen[bytes]] = []
    logs = {"gunicorn": settings.data_dir / "load-gunicorn.log",
            "projector": settings.data_dir / "load-projector.log"}
    try:
        closes_at = datetime.now(timezone.utc) + timedelta(seconds=seconds, hours=1)
        world = populate(net, members, closes_at, seed)
        port = free_port()
        env = server_env(settings, port, workers)
        bin_dir = Path(sys.executable).parent
        servers.append(start([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py",
                              "--access-logfile", "/dev/null", "wsgi:app"], env,
                             logs["gunicorn"]))
        servers.append(start([str(bin_dir / "coop"), "projector", "--interval", "0.5"], env,
                             logs["projector"]))
        wait_for(port, servers[0], logs["gunicorn"])
        # What the server's work costs, whatever else the machine is doing meanwhile.
        cpu = cpu_seconds(servers[0].pid)
        tally = load(port, world, threads, seconds, seed)
        cpu = cpu_seconds(servers[0].pid) - cpu
        closed, problems = close_and_recount(port, world, tally)
        for name, server in zip(logs, servers):
            if server.poll() is not None:
                problems.append(f"{name} stopped during the run: {tail(logs[name])}")
            server.terminate()
            server.wait(60)
        for name, log in logs.items():
            if "Traceback" in log.read_text(errors="replace"):
                problems.append(f"{name} logged a traceback: {tail(log)}")
        problems += check(net, tally, world)
        return Report(settings.backend, seconds, threads, members, workers,
                      dict(tally.latencies), tally.statuses,
                      {**{k: len(v) for k, v in tally.written.items()},
                       "ballot": len(tally.ballots)}, cpu, closed, problems)
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait()
        net.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coop-load-") as folder, \
            fresh_schema(args.database_url, "coop_load") as url:
        settings = Settings(data_dir=Path(folder) / "instance", database_url=url)
        report = run_load(settings, seconds=args.seconds, threads=args.threads,
                          members=args.members, workers=args.workers, seed=args.seed)
    print("\n".join(report.lines()))
    if report.problems or report.server_errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
