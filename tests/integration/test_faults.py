"""Transient database trouble: a 503 with a retry hint, nothing half-written, and the
next request works again by itself once the database is back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from flask import Flask

from coop.bootstrap import Network
from coop.config import Settings
from tests.integration.conftest import AuthActions, email_of

Browser = Callable[[str], AuthActions]
GIVE = {"receiver_email": email_of("bob"), "hours": "1.5", "description": "Fixed the oven"}


def gives_in_log(net: Network) -> int:
    return sum(1 for n in net.app.recorder.select_notifications(1, 10_000)
               if n.topic.startswith("domain.give:Give.Recorded"))


# -- SQLite busy ------------------------------------------------------------------------

@pytest.fixture
def web_settings(tmp_path: Any) -> Settings:
    # One second (the library's smallest) before a locked log counts as busy.
    return Settings(data_dir=tmp_path / "instance", extra_env={"SQLITE_LOCK_TIMEOUT": "1"})


@pytest.fixture
def locked_log(web_settings: Settings) -> Callable[[], Any]:
    """Return a function that holds the event log's write lock until its block ends."""

    class Held:
        def __enter__(self) -> None:
            self.conn = sqlite3.connect(web_settings.events_path, isolation_level=None)
            self.conn.execute("BEGIN EXCLUSIVE")

        def __exit__(self, *exc: object) -> None:
            self.conn.execute("ROLLBACK")
            self.conn.close()

    return Held


def test_a_locked_sqlite_log_answers_503_and_writes_nothing(
        net: Network, browser: Browser, locked_log: Callable[[], Any]) -> None:
    alice = browser("alice")
    before = gives_in_log(net)
    token = alice.csrf_token()
    with locked_log():
        busy = alice.client.post("/gives/new", data={"csrf_token": token, **GIVE})
    assert busy.status_code == 503
    assert busy.headers["Retry-After"].isdigit()
    assert "busy" in busy.text
    assert gives_in_log(net) == before

    # The lock is gone: the same form goes through, once.
    assert alice.post("/gives/new", GIVE).status_code == 302
    assert gives_in_log(net) == before + 1


def test_a_locked_sqlite_log_gives_api_clients_a_503_problem(
        app: Flask, net: Network, ids: dict[str, Any], locked_log: Callable[[], Any]) -> None:
    token = net.tokens.create(ids["alice"], name="tests")["token"]
    client = app.test_client()
    body = {"receiver_id": str(ids["bob"]), "hours": "2", "description": "Painted the door"}
    headers = {"Authorization": f"Bearer {token}"}
    before = gives_in_log(net)
    with locked_log():
        busy = client.post("/api/v1/gives", json=body, headers=headers)
    assert busy.status_code == 503
    assert busy.mimetype == "application/problem+json"
    assert busy.json["type"] == "urn:coop:problem:unavailable"
    assert busy.headers["Retry-After"].isdigit()
    assert gives_in_log(net) == before
    assert client.post("/api/v1/gives", json=body, headers=headers).status_code == 201
    assert gives_in_log(net) == before + 1


# -- PostgreSQL connections cut ----------------------------------------------------------

@pytest.fixture
def pg_app_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """Name every connection this test's portal opens (libpq reads PGAPPNAME), so only
    they are cut, never those of other tests sharing the database."""
    name = f"coop_faults_{uuid4().hex[:12]}"
    monkeypatch.setenv("PGAPPNAME", name)
    return name


@pytest.fixture
def pg_portal_settings(pg_app_name: str, postgres_settings: Settings) -> Settings:
    return postgres_settings


@pytest.fixture
def cut_connections(pg_portal_settings: Settings, pg_app_name: str) -> Iterator[Callable[[], int]]:
    import psycopg

    url = pg_portal_settings.database_url
    assert url
    admin = psycopg.connect(url.split("?", 1)[0], autocommit=True,
                            application_name="coop_faults_admin")

    def cut() -> int:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s "
            "AND pid <> pg_backend_pid()", (pg_app_name,)).fetchall()
        return len(rows)

    yield cut
    admin.close()


@pytest.mark.postgres
class TestPostgresRestart:
    @pytest.fixture
    def web_settings(self, pg_portal_settings: Settings) -> Settings:
        return pg_portal_settings

    def test_cut_connections_recover_by_themselves(
            self, net: Network, browser: Browser, cut_connections: Callable[[], int]) -> None:
        alice = browser("alice")
        assert alice.client.get("/ledger/").status_code == 200
        before = gives_in_log(net)
        assert cut_connections() > 0

        # Pages: at most a 503 with a retry hint while a dead connection is found out,
        # never a 500; then the portal works again on fresh connections.
        answers = [alice.client.get("/ledger/") for _ in range(3)]
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses[-1] == 200
        assert all(a.headers.get("Retry-After") for a in answers if a.status_code == 503)

        # A form after another cut: written exactly once per success, never half.
        token = alice.csrf_token()
        cut_connections()
        sent = [alice.client.post("/gives/new", data={"csrf_token": token, **GIVE}).status_code
                for _ in range(2)]
        assert set(sent) <= {302, 503}, sent
        assert sent[-1] == 302
        assert gives_in_log(net) == before + sent.count(302)
