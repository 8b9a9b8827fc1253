"""Idempotency-Key: a retried write gets its first reply and records nothing twice, on
every backend (the keys live in the account store)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

from coop.accounts.idempotency import (
    STALE_SECONDS,
    Idempotency,
    KeyReused,
    OutcomeUnknown,
    StillRunning,
)
from coop.bootstrap import Network
from coop.config import Settings
from tests.integration.api.conftest import ApiClient, Caller, assert_problem
from web.api.idempotency import fingerprint


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings


def give_to(ids: dict[str, Any], who: str = "bob", hours: str = "2") -> dict[str, Any]:
    return {"receiver_id": str(ids[who]), "hours": hours, "description": "Baked bread"}


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def test_a_retry_gets_the_first_reply_and_records_nothing_twice(
        api: Caller, ids: dict[str, Any], net: Network) -> None:
    alice = api("alice")
    first = alice.post("/gives", give_to(ids), headers=key("give-1"))
    assert first.status_code == 201
    position = net.app.last_position()

    # The client lost the reply and sends the very same request again.
    again = alice.post("/gives", give_to(ids), headers=key("give-1"))
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert net.app.last_position() == position
    assert len(alice.get("/gives").get_json()["items"]) == 1


def test_the_same_key_for_another_request_is_refused(
        api: Caller, ids: dict[str, Any], net: Network) -> None:
    alice = api("alice")
    assert alice.post("/gives", give_to(ids), headers=key("k")).status_code == 201
    position = net.app.last_position()
    refused = alice.post("/gives", give_to(ids, hours="3"), headers=key("k"))
    assert assert_problem(refused, 422)["type"].endswith("invalid-value")
    assert "different request" in refused.get_json()["detail"]
    assert net.app.last_position() == position


def test_keys_belong_to_one_member(api: Caller, ids: dict[str, Any], net: Network) -> None:
    position = net.app.last_position()
    assert api("alice").post("/gives", give_to(ids), headers=key("same")).status_code == 201
    assert api("carol").post("/gives", give_to(ids), headers=key("same")).status_code == 201
    assert net.app.last_position() == position + 2


def test_a_refused_request_does_not_use_up_its_key(api: Caller, ids: dict[str, Any]) -> None:
    alice = api("alice")
    assert_problem(alice.post("/gives", give_to(ids, hours="-1"), headers=key("fix")), 422)
    # Nothing was written, so the corrected request may use the key.
    assert alice.post("/gives", give_to(ids), headers=key("fix")).status_code == 201


def test_a_retry_while_the_first_copy_runs_is_told_to_wait(
        app: Flask, api: Caller, ids: dict[str, Any], net: Network) -> None:
    # The first copy has reserved the key and is still running.
    body = give_to(ids)
    with app.test_request_context("/api/v1/gives", method="POST", json=body):
        net.idempotency.reserve(str(ids["alice"]), "slow", fingerprint())
    answer = api("alice").post("/gives", body, headers=key("slow"))
    assert_problem(answer, 409)
    assert answer.headers["Retry-After"]


def test_copies_sent_at_once_write_once(
        app: Flask, tokens: dict[str, str], ids: dict[str, Any], net: Network) -> None:
    position = net.app.last_position()

    def send(_: int) -> int:
        client = ApiClient(app.test_client(), tokens["alice"])
        return client.post("/gives", give_to(ids), headers=key("burst")).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(send, range(4)))
    # Each copy got the reply (or was told to wait); one give was recorded.
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert net.app.last_position() == position + 1


def test_a_replay_does_not_show_a_secret_shown_once(api: Caller, net: Network) -> None:
    alice = api("alice")
    member = {"email": "dana@coop.test", "name": "Dana Weaver"}
    first = alice.post("/members", member, headers=key("dana"))
    assert first.status_code == 201 and "/invitations/" in first.get_json()["invitation_url"]
    again = alice.post("/members", member, headers=key("dana"))
    assert again.status_code == 201
    assert again.get_json() == {**first.get_json(), "invitation_url": None}
    with net.accounts.store.transaction() as cur:
        kept = cur.rows("SELECT body FROM {idempotency}")
    assert "/invitations/" not in str(kept)


@pytest.mark.parametrize("bad", ["x" * 256, "with space", "tab\there"])
def test_a_malformed_key_is_refused(api: Caller, ids: dict[str, Any], bad: str) -> None:
    assert_problem(api("alice").post("/gives", give_to(ids), headers=key(bad)), 422,
                   "Idempotency-Key")


def test_a_reservation_left_by_a_dead_request_is_never_run_twice(net: Network) -> None:
    now = [1000.0]
    keys = Idempotency(net.accounts.store, clock=lambda: now[0])
    assert keys.reserve("m", "k", "f") is None
    with pytest.raises(StillRunning):
        keys.reserve("m", "k", "f")
    with pytest.raises(KeyReused):
        keys.reserve("m", "k", "another request")
    # The worker died: whether it recorded the write is unknown, so it is not run again.
    now[0] += STALE_SECONDS + 1
    with pytest.raises(OutcomeUnknown, match="may or may not have been recorded"):
        keys.reserve("m", "k", "f")
