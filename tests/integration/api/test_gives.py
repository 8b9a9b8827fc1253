"""Gives through the API: record, confirm, dispute, reverse, and every refusal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def give_to(ids: dict[str, Any], who: str = "bob", **extra: Any) -> dict[str, Any]:
    return {"receiver_id": str(ids[who]), "hours": "1.5", "description": "Fixed the oven",
            **extra}


def test_a_give_is_recorded_confirmed_and_counted(api: Caller, ids: dict[str, Any]) -> None:
    alice, bob = api("alice"), api("bob")
    recorded = alice.post("/gives", give_to(ids))
    assert recorded.status_code == 201
    give = recorded.get_json()
    assert give["hours"] == "1.50" and give["status"] == "pending"
    assert bob.get("/gives?waiting=true").get_json()["items"][0]["id"] == give["id"]

    confirmed = bob.post(f"/gives/{give['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"
    assert [h["action"] for h in confirmed.get_json()["history"]] == ["recorded", "confirmed"]
    # The ledger counts it at once (read your own write).
    statement = bob.get(f"/ledger/members/{ids['bob']}/statement").get_json()
    assert Decimal(statement["received"]) == Decimal("1.5")
    assert_problem(bob.post(f"/gives/{give['id']}/confirm"), 409)


def test_an_answer_to_an_ask_fulfils_it_when_confirmed(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    ask = net.postings.post_ask(title="Oven repair", by=ids["bob"])
    give = api("alice").post("/gives", give_to(ids, ask_id=str(ask))).get_json()
    api("bob").post(f"/gives/{give['id']}/confirm")
    assert api("bob").get(f"/asks/{ask}").get_json()["status"] == "fulfilled"


def test_the_receiver_disputes_and_a_steward_reverses(
        api: Caller, ids: dict[str, Any]) -> None:
    give = api("carol").post("/gives", give_to(ids)).get_json()
    disputed = api("bob").post(f"/gives/{give['id']}/dispute", {"reason": "Never came"})
    assert disputed.get_json()["status"] == "disputed"
    assert_problem(api("bob").post(f"/gives/{give['id']}/dispute", {"reason": "x"}), 409)
    assert_problem(api("bob").post(f"/gives/{give['id']}/reverse", {"reason": "x"}), 403)
    reversed_ = api("alice").post(f"/gives/{give['id']}/reverse", {"reason": "Mistake"})
    assert reversed_.get_json()["status"] == "reversed"
    assert reversed_.get_json()["reversal_reason"] == "Mistake"


def test_refusals(api: Caller, ids: dict[str, Any]) -> None:
    give = api("alice").post("/gives", give_to(ids)).get_json()
    assert_problem(api("nobody").post("/gives", give_to(ids)), 401)
    # Only the receiver confirms or disputes.
    assert_problem(api("carol").post(f"/gives/{give['id']}/confirm"), 403)
    assert_problem(api("alice").post(f"/gives/{give['id']}/dispute", {"reason": "x"}), 403)
    assert_problem(api("bob").post(f"/gives/{MISSING}/confirm"), 404)
    assert_problem(api("bob").get(f"/gives/{MISSING}"), 404)
    assert_problem(api("alice").post("/gives", give_to(ids, receiver_id=MISSING)), 404)
    assert_problem(api("alice").post("/gives", give_to(ids, hours="0")), 422, "hours")
    assert_problem(api("alice").post("/gives", give_to(ids, hours="1.234")), 422, "hours")
    assert_problem(api("alice").post("/gives", give_to(ids, hours="9" * 400)), 422, "hours")
    assert_problem(api("alice").post("/gives", give_to(ids, hours=True)), 422, "hours")
    assert_problem(api("alice").post("/gives", give_to(ids, "alice")), 422)  # to oneself
    assert_problem(api("bob").post(f"/gives/{give['id']}/dispute", {}), 422, "reason")
    assert_problem(api("bob").get("/gives?role=stolen"), 422, "role")


def test_hours_may_be_a_json_number_and_stay_exact(api: Caller, ids: dict[str, Any]) -> None:
    sent = api("alice").request("POST", "/gives", data=(
        '{"receiver_id": "%s", "hours": 0.1, "description": "Tea"}' % ids["bob"]),
        content_type="application/json")
    assert sent.status_code == 201 and sent.get_json()["hours"] == "0.10"
