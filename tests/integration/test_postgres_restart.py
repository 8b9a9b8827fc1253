"""PostgreSQL itself restarted while the portal answers writes and the projector runs.

The shared server must never be restarted, so each test runs a throwaway cluster of
its own (``initdb`` into a temporary folder, on a free loopback port). While writers
post offers with Idempotency-Keys through gunicorn (two workers) and ``coop projector``
runs, the server is stopped, left down for some seconds and started again. What members
would notice: a 503 with a retry hint while it is down, never a 500; the portal and the
projector working again by themselves; every write answered 201 in the log once, a
failed one retried with its key run once or refused (409), never twice; the read models
equal to a rebuild from the log. Then the projector in the middle of a long catch-up,
and its timed work, when the server goes away.

Set ``COOP_TEST_PRIVATE_POSTGRES=required`` (CI does) to fail, rather than skip, where
the PostgreSQL server binaries or ``runuser`` are missing.
"""

from __future__ import annotations

import collections
import glob
import http.client
import json
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest

from coop.bootstrap import Network, build
from coop.cli.projections import _close_due_proposals as close_due_proposals
from coop.config import Settings
from projections.store import ReadModelsUnavailable
from tests.integration.test_projector_faults import environment, equals_its_rebuild, fill
from tests.integration.test_projector_leader import (
    COOP,
    Projector,
    caught_up,
    read_models,
    wait_until,
)
from tests.integration.test_worker_faults import Server, offers_in_the_log

REQUIRED_VAR = "COOP_TEST_PRIVATE_POSTGRES"
SERVER_BINARIES = "/usr/lib/postgresql/*/bin"
OS_USER = "postgres"  # postgres refuses to run as root
THREADS = 6
MAX_WRITES = 3_000  # a bound on the writers, far above what the seconds below allow
WRITES_BEFORE = 30  # answered writes before the server is stopped
# The server stays down until a page read sent meanwhile is answered, and at least
# this long; the writers keep sending all the while.
DOWN_SECONDS = 1.0
RETRY_PAUSE = 1.0  # a writer answered 503 waits this long before its next write
WRITING_AFTER = 3.0  # seconds of writing once the portal answers again
RECOVERY_LIMIT = 20.0  # the portal must answer 2xx again within this (it takes ~1 s)
FAILED = 0  # the status noted when the connection broke without an answer
# A key whose first run reserved it but could not give it back (the server went away).
UNFINISHED = {"urn:coop:problem:idempotency-in-progress",
              "urn:coop:problem:idempotency-outcome-unknown"}

pytestmark = pytest.mark.postgres


# -- a throwaway PostgreSQL server --------------------------------------------------------

def missing_tools() -> str | None:
    """Return why a private server cannot run here, or None when it can."""
    if not glob.glob(f"{SERVER_BINARIES}/postgres"):
        return f"no PostgreSQL server binaries in {SERVER_BINARIES}"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "runuser is missing (needed to run postgres as a user other than root)"
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"there is no '{OS_USER}' OS user to run postgres as"
    return None


def server_port() -> int:
    """Return a free loopback port below the kernel's ephemeral range (32768 up): while
    the server is down, a client socket of the portal could otherwise be given its
    port as its own, and the server could not listen on it again."""
    for port in random.sample(range(20_000, 32_000), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise AssertionError("no free port for the private PostgreSQL server")


class PrivatePostgres:
    """A cluster of our own in a temporary folder, on a free port, trust auth."""

    def __init__(self) -> None:
        versions = sorted(glob.glob(f"{SERVER_BINARIES}/postgres"),
                          key=lambda path: int(Path(path).parts[-3]))
        self.bin = Path(versions[-1]).parent
        # Not under pytest's tmp_path: that is private to root, and the server runs as
        # another user. A short path, too: the socket's path must fit in 107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="coop-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = server_port()
        self.as_user = ["runuser", "-u", OS_USER, "--"] if os.geteuid() == 0 else []
        if self.as_user:
            pw = pwd.getpwnam(OS_USER)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, timeout: float = 30) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} failed: {done.stderr.strip()}\n"
                                 f"{self.server_log()}")

    def server_log(self) -> str:
        try:
            return "server log:\n" + "".join(self.log.read_text().splitlines(True)[-20:])
        except OSError:
            return "(no server log)"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync", timeout=60)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "-t", "20")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "20")

    def remove(self) -> None:
        """Stop the server whatever state it is in, then delete its folder."""
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate",
                          "-w", "-t", "10", timeout=20)
            except (AssertionError, subprocess.TimeoutExpired):  # pragma: no cover
                pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    reason = missing_tools()
    if reason:
        if os.environ.get(REQUIRED_VAR) == "required":
            pytest.fail(f"{reason}, and {REQUIRED_VAR}=required")
        pytest.skip(f"{reason}: the private PostgreSQL server test is skipped")
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


# -- the network on it, the portal and the projector ------------------------------------

@pytest.fixture
def store(private_postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Network]:
    """The network on the private server, its tables made by ``coop init``."""
    settings = Settings(data_dir=tmp_path / "instance", database_url=private_postgres.url)
    init = subprocess.run([COOP, "init"], env=environment(settings), capture_output=True,
                          text=True, timeout=60)
    assert init.returncode == 0, init.stderr
    net = build(settings)
    try:
        yield net
    finally:
        net.close()


@pytest.fixture
def portal(store: Network, tmp_path: Path) -> Iterator[Server]:
    started = Server(store, tmp_path / "gunicorn.log")
    try:
        started.wait_until_answering()
        yield started
    finally:
        started.stop()


@pytest.fixture
def projector(store: Network, tmp_path: Path) -> Iterator[Projector]:
    started = Projector(store.settings, tmp_path / "projector.log", "--interval", "0.3")
    try:
        yield started
    finally:
        started.stop()


@dataclass(frozen=True)
class Answer:
    status: int  # FAILED when the connection broke without an answer
    retry_after: str | None
    kind: str  # the problem's type, for an error
    sent: float
    answered: float


def call(port: int, method: str, path: str, token: str, body: object = None,
         key: str | None = None, timeout: float = 15) -> Answer:
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    if body is not None:
        headers["Content-Type"] = "application/json"
    sent = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        reply = conn.getresponse()
        raw = reply.read()
    except (OSError, http.client.HTTPException):
        return Answer(FAILED, None, "", sent, time.monotonic())
    finally:
        conn.close()
    kind = ""
    if reply.status >= 400 and raw.startswith(b"{"):
        kind = json.loads(raw).get("type", "")
    return Answer(reply.status, reply.getheader("Retry-After"), kind, sent, time.monotonic())


def post_offer(port: int, token: str, title: str, key: str) -> Answer:
    return call(port, "POST", "/api/v1/offers", token,
                {"title": title, "description": "restart test", "tags": []}, key)


def at_the_head(net: Network) -> bool:
    """Return whether every projection is at the log's head, as ``coop projections
    status`` tells it."""
    try:
        return caught_up(net)
    except ReadModelsUnavailable:  # this process's own connection, cut by the restart
        return False


def test_a_postgresql_restart_mid_writes_answers_503_and_everything_recovers(
        private_postgres: PrivatePostgres, store: Network, portal: Server,
        projector: Projector) -> None:
    began = time.monotonic()
    member = store.members.add(email="writer@coop.test", name="Writer")
    token = store.tokens.create(member, name="restart test")["token"]
    wait_until(lambda: projector.said("active for"), "the projector to start")

    writes = ((f"Offer {i}", str(uuid4())) for i in range(MAX_WRITES))
    keys: dict[str, str] = {}
    answers: dict[str, Answer] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            with lock:
                title, key = next(writes, (None, None))
                if title is None or key is None:
                    return
                keys[title] = key
            answer = post_offer(portal.port, token, title, key)
            with lock:
                answers[title] = answer
            if answer.status != 201:
                # As a client told to retry later would (Retry-After, shortened).
                stop.wait(RETRY_PAUSE)

    def page() -> Answer:
        # Up to gunicorn's own timeout: the workers may all be busy with writes that
        # wait for the database meanwhile.
        return call(portal.port, "GET", "/api/v1/me", token, timeout=30)

    threads = [threading.Thread(target=write, daemon=True) for _ in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        wait_until(lambda: len(answers) >= WRITES_BEFORE, "the first writes", seconds=20)

        down = time.monotonic()
        private_postgres.stop("fast")
        said_before = projector.out.read_text()
        # Down until a page read has been answered (the writers keep the two workers
        # busy meanwhile), and at least DOWN_SECONDS.
        during = page()
        stop.wait(max(DOWN_SECONDS - (time.monotonic() - down), 0))
        private_postgres.start()
        up = time.monotonic()

        # Back by itself: a page read and a write are answered 2xx again.
        after = page()
        while after.status != 200 and time.monotonic() < up + RECOVERY_LIMIT:
            time.sleep(0.1)
            after = page()

        def written_since_up() -> bool:
            with lock:
                return any(a.status == 201 and a.sent >= up for a in answers.values())

        wait_until(written_since_up, "a write to succeed again", seconds=RECOVERY_LIMIT)
        time.sleep(WRITING_AFTER)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "writers still running"

    # A page read while the server is down: a 503 with a retry hint, never a 500.
    assert during.status == 503 and during.answered < up, during
    assert during.retry_after and during.retry_after.isdigit(), during
    assert after.status == 200, after
    write_back = min(a.answered for a in answers.values() if a.status == 201 and a.sent >= up)

    statuses = collections.Counter(a.status for a in answers.values())
    # No 500, ever: 503 with a retry hint while the server is down; 409 only for a key
    # whose first run is still reserved.
    assert set(statuses) <= {201, 503, 409, FAILED}, statuses
    busy = [a for a in answers.values() if a.status == 503]
    assert all(a.retry_after and a.retry_after.isdigit() for a in busy), busy
    assert all(a.kind == "urn:coop:problem:unavailable" for a in busy), busy
    # The writes hit the outage (else this proved nothing), and went on after it.
    assert statuses[503] + statuses[FAILED] >= 1, statuses
    assert statuses[201] > WRITES_BEFORE, statuses

    # The writes that failed, retried with their keys: run once, or refused (409) while
    # the reservation of their first run stands (it saved, or could not give the key
    # back with the server down); never run twice.
    retried: dict[str, Answer] = {}
    for title, answer in answers.items():
        if answer.status != 201:
            for _ in range(10):
                again = post_offer(portal.port, token, title, keys[title])
                if again.status not in (503, FAILED):
                    break
                time.sleep(0.2)
            assert again.status == 201 or again.kind in UNFINISHED, again
            retried[title] = again

    logged = offers_in_the_log(store)
    for title, answer in answers.items():
        if answer.status == 201 or retried[title].status == 201:
            assert logged[title] == 1, (title, answer, retried.get(title))
        else:
            # Its key stayed reserved because it saved before failing (reading the
            # offer back when the server went away), or may have: there at most once.
            assert logged[title] <= 1, (title, answer, retried[title])
    assert set(logged) <= set(answers)

    # The projector lost its connections too: it catches up by itself, and what it
    # built equals a rebuild from the log.
    wait_until(lambda: projector.process.poll() is not None or at_the_head(store),
               "the projector to reach the head after the restart")
    assert projector.process.poll() is None, projector.out.read_text()
    assert "wrote" in projector.out.read_text()[len(said_before):]
    built = read_models(store)
    for name in store.projector.projections:
        store.projector.rebuild(name)
    assert read_models(store) == built

    print(f"\nrestart: server down {up - down:.2f} s (a page read meanwhile: 503 after "
          f"{during.answered - during.sent:.2f} s); after it was back a page answered 200 "
          f"in {after.answered - up:.2f} s, a write 201 in {write_back - up:.2f} s; "
          f"writes: {statuses[201]} 201, {statuses[503]} 503, {statuses[409]} 409, "
          f"{statuses[FAILED]} no answer; their retries: "
          f"{dict(collections.Counter(a.status for a in retried.values()))}; "
          f"test body {time.monotonic() - began:.1f} s")


def test_a_postgresql_restart_mid_catch_up_leaves_the_projector_waiting_then_resuming(
        private_postgres: PrivatePostgres, store: Network, tmp_path: Path) -> None:
    began = time.monotonic()
    fill(store)
    head = store.projector.head()
    busy = Projector(store.settings, tmp_path / "projector.log", "--interval", "0.2")
    try:
        def under_way() -> bool:
            positions = [p["position"] for p in store.projector.status()]
            return any(positions) and min(positions) < head

        # Stopped while batches are being written: some projection is part-way.
        wait_until(under_way, "the catch-up to start", seconds=30)
        private_postgres.stop("fast")
        time.sleep(DOWN_SECONDS)
        private_postgres.start()

        wait_until(lambda: busy.process.poll() is not None or at_the_head(store),
                   "the projector to resume and catch up", seconds=60)
        # It noticed, waited (it did not stop on the lost connections), and carried on.
        assert busy.process.poll() is None, busy.out.read_text()
        said = busy.out.read_text()
        assert "waiting: " in said or "out of reach" in said, said
    finally:
        busy.stop()
    equals_its_rebuild(store)
    print(f"\nrestart mid catch-up: {head} events; test body {time.monotonic() - began:.1f} s")


def test_the_projectors_timed_work_is_put_off_while_the_server_is_down(
        private_postgres: PrivatePostgres, store: Network,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Closing due proposals reads the log itself, so the server going away surfaces as
    # the library's own error: the projector says so and tries at its next poll.
    private_postgres.stop("fast")
    close_due_proposals(store)  # what `coop projector` runs after each poll
    said = capsys.readouterr().out
    assert "closing due proposals: " in said, said
    private_postgres.start()
    close_due_proposals(store)
    assert "closing due proposals" not in capsys.readouterr().out
