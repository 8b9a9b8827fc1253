"""A gunicorn worker killed with SIGKILL while it answers API writes: every write
answered 2xx is in the log exactly once, a write that failed is there at most once
(once when its retry with the same Idempotency-Key succeeded), and no half-written
change shows in the read models."""

from __future__ import annotations

import collections
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from coop.bootstrap import Network
from tests.integration.test_projector_leader import read_models

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
WRITES = 90
THREADS = 6
FAILED = 0  # the status noted when the connection broke without an answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`gunicorn wsgi:app` with two workers on a free loopback port."""

    def __init__(self, net: Network, log: Path) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
        env |= {"COOP_DATA_DIR": str(net.settings.data_dir),
                "COOP_SECRET_KEY": "worker-faults-" + "s" * 40, "COOP_ENV": "production"}
        if net.settings.database_url:
            env["COOP_DATABASE_URL"] = net.settings.database_url
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "--workers", "2",
                 "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5",
                 "--access-logfile", "/dev/null", "wsgi:app"],
                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)

    def workers(self) -> list[int]:
        """Return the pids of the master's children (its workers)."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:  # the process ended meanwhile
                    continue
                # The parent pid is the second field after the command's closing ")".
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + 30
        while len(self.workers()) < 2 or not self._answers():
            assert self.process.poll() is None, "gunicorn stopped: see gunicorn.log"
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> None:
        workers = self.workers()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck master
                self.process.kill()
                self.process.wait()
        for pid in workers:  # pragma: no cover - orphans of a master that was killed
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def server(network: Network, tmp_path: Path) -> Iterator[Server]:
    started = Server(network, tmp_path / "gunicorn.log")
    try:
        started.wait_until_answering()
        yield started
    finally:
        started.stop()


def post_offer(port: int, token: str, title: str, key: str) -> tuple[int, dict[str, str]]:
    """POST one offer; return the status (FAILED when no answer came) and the body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/api/v1/offers",
                     body=json.dumps({"title": title, "description": "fault test", "tags": []}),
                     headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                              "Content-Type": "application/json"})
        answer = conn.getresponse()
        raw = answer.read()
    except (OSError, http.client.HTTPException):
        return FAILED, {}
    finally:
        conn.close()
    return answer.status, json.loads(raw) if raw.startswith(b"{") else {}


def offers_in_the_log(net: Network) -> collections.Counter[str]:
    """Return how many times each offer title was posted, from the log alone."""
    titles: collections.Counter[str] = collections.Counter()
    position = 0
    while batch := net.app.recorder.select_notifications(position + 1, 5000):
        for note in batch:
            if note.topic == "domain.offer:Offer.Posted":
                titles[net.app.mapper.to_domain_event(note).title] += 1
        position = batch[-1].id
    return titles


def test_a_worker_killed_mid_request_loses_no_answered_write_and_doubles_none(
        network: Network, server: Server) -> None:
    member = network.members.add(email="writer@coop.test", name="Writer")
    token = network.tokens.create(member, name="fault test")["token"]
    writes = [(f"Offer {i}", str(uuid4())) for i in range(WRITES)]
    answers: dict[str, tuple[int, dict[str, str]]] = {}
    pending = collections.deque(writes)
    lock = threading.Lock()

    def write() -> None:
        while True:
            with lock:
                if not pending:
                    return
                title, key = pending.popleft()
            answer = post_offer(server.port, token, title, key)
            with lock:
                answers[title] = answer

    threads = [threading.Thread(target=write, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    # Kill a worker while both are busy with the flow of writes (each thread always
    # has a request out), part-way through; if no request broke, kill the other.
    for victim, share in zip(server.workers(), (3, 2)):
        deadline = time.monotonic() + 30
        while len(answers) < WRITES // share and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.3)
        with lock:
            if any(status == FAILED for status, _ in answers.values()):
                break
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "writers still running"

    statuses = collections.Counter(status for status, _ in answers.values())
    # A killed worker breaks the connections it held; no write is answered with a 500.
    assert statuses[FAILED] >= 1, statuses
    assert set(statuses) <= {201, 503, FAILED}, statuses

    # The failed writes, retried with their keys: run once, or refused while the
    # dead worker's reservation stands (409), never run twice.
    retried: dict[str, int] = {}
    for title, key in writes:
        if answers[title][0] != 201:
            status = 503
            for _ in range(10):
                status, body = post_offer(server.port, token, title, key)
                if status not in (503, FAILED):
                    break
                time.sleep(0.2)
            assert status in (201, 409), (status, body)
            retried[title] = status

    logged = offers_in_the_log(network)
    for title, (status, body) in answers.items():
        if status == 201:
            assert logged[title] == 1, title
        elif retried[title] == 201:
            assert logged[title] == 1, title
        else:
            assert logged[title] <= 1, title
    assert set(logged) <= set(answers)

    # No half-written change: the read models equal a rebuild from the log.
    network.projector.catch_up()
    built = read_models(network)
    for name in network.projector.projections:
        network.projector.rebuild(name)
    assert read_models(network) == built
