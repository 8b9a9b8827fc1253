"""The audit pages: the steward's head and full downloads, every member's own events."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from coop.audit.records import read_csv, read_jsonl
from coop.audit.verify import verify
from coop.config import Settings
from tests.integration.conftest import AuthActions, text_of


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    """The portal on every backend."""
    return settings


@pytest.fixture
def busy(net: Any, ids: dict[str, Any]) -> None:
    """Alice gives Bob an hour, which Bob confirms."""
    give = net.gives.record(receiver_id=ids["bob"], hours="1", description="Fixed a gate",
                            by=ids["alice"])
    net.gives.confirm(give, by=ids["bob"])


def test_a_steward_sees_the_head_and_downloads_a_chain_that_verifies(
        busy: None, browser: Callable[[str], AuthActions], net: Any) -> None:
    alice = browser("alice")
    page = alice.client.get("/audit/")
    assert page.status_code == 200
    status = net.audit.status(by=net.members.id_for_email("alice@coop.test"))
    shown = text_of(page)
    assert status["hash"] in shown and f"Lines {status['lines']}" in shown
    assert 'href="/audit/"' in page.text  # in the navigation

    download = alice.client.get("/audit/export.jsonl")
    assert download.status_code == 200 and "Content-Length" not in download.headers
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Audit-Head"] == f"{status['position']} {status['hash']}"
    report = verify(read_jsonl(download.text.splitlines()), head=status["hash"])
    assert report.lines == status["lines"]

    csv = alice.client.get("/audit/export.csv")
    assert csv.mimetype == "text/csv"
    rows = read_csv(io.StringIO(csv.text, newline=""))
    assert verify(rows, head=status["hash"]).lines == status["lines"]


def test_the_download_is_read_from_the_store_as_it_is_sent(
        busy: None, browser: Callable[[str], AuthActions], net: Any, monkeypatch: Any) -> None:
    alice = browser("alice")
    net.audit.log.page = 2
    reads: list[int] = []
    real = net.read_models.reading
    monkeypatch.setattr(net.read_models, "reading", lambda: reads.append(1) or real())
    response = alice.client.get("/audit/export.jsonl", buffered=False)
    assert "Content-Length" not in response.headers  # not built before it is sent
    started = len(reads)
    chunks = [chunk.decode() for chunk in response.response]
    response.close()
    # Every page of two lines was read after the response had started.
    pages = [c for c in chunks if '"hash"' in c]
    assert len(pages) >= 3 and all(c.count("\n") <= 2 for c in pages)
    assert len(reads) - started >= len(pages)


def test_a_steward_downloads_a_part(busy: None, browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    part = alice.client.get("/audit/export.jsonl?action=give.confirmed&since=1")
    lines = [json.loads(t) for t in part.text.splitlines()]
    assert [line["action"] for line in lines[1:-1]] == ["give.confirmed"]
    assert verify(read_jsonl(part.text.splitlines())).kind == "slice"
    assert alice.client.get("/audit/export.jsonl?since=soon").status_code == 400


def test_a_member_downloads_their_own_events_and_nothing_more(
        busy: None, browser: Callable[[str], AuthActions], ids: dict[str, Any]) -> None:
    carol = browser("carol")
    page = carol.client.get("/audit/")
    assert page.status_code == 200 and "Download my events" in page.text
    assert "Head hash" not in page.text
    # Neither the whole log, nor anyone else's events.
    assert carol.client.get("/audit/export.jsonl").status_code == 403
    assert carol.client.get("/audit/export.csv").status_code == 403
    assert carol.client.get(f"/audit/export.jsonl?member={ids['bob']}").status_code == 403
    # Her own: her joining only; none of Alice and Bob's give.
    mine = carol.client.get("/audit/my-events.jsonl")
    assert mine.status_code == 200 and "Content-Length" not in mine.headers
    lines = [json.loads(t) for t in mine.text.splitlines()][1:-1]
    assert [(line["action"], line["target"]["id"]) for line in lines] == [
        ("member.joined", str(ids["carol"]))]

    bob = browser("bob")
    lines = [json.loads(t) for t in bob.client.get("/audit/my-events.jsonl").text.splitlines()]
    assert {"give.recorded", "give.confirmed"} <= {line.get("action") for line in lines}
    csv = bob.client.get("/audit/my-events.csv")
    assert verify(read_csv(io.StringIO(csv.text, newline="")), kind="slice").lines == \
        len(lines) - 2


def test_a_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/audit/export.jsonl")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_part_of_a_circle_that_does_not_exist_is_not_found(
        browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    response = alice.client.get("/audit/export.csv?circle=7a1f7e52-4e0b-4d9c-9a59-5f1a3b3c2d11")
    assert response.status_code == 404
