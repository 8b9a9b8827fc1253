"""Leaving the network through the API: oneself, or another member as a steward."""

from __future__ import annotations

from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def test_a_member_leaves_and_their_own_token_ends_with_it(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    spare = net.tokens.create(ids["carol"], name="spare")["token"]

    done = api("carol").post(f"/members/{ids['carol']}/leave", {"reason": "moving away"})

    assert done.status_code == 200, done.get_data(as_text=True)
    body = done.get_json()
    assert body["id"] == str(ids["carol"]) and body["has_left"] is True
    assert_problem(api("carol").get("/me"), 401)
    assert net.tokens.member_for(spare) is None
    assert api("bob").get(f"/members/{ids['carol']}").get_json()["has_left"] is True


def test_a_steward_records_that_another_left_and_the_body_is_optional(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    net.members.grant_steward(ids["bob"])
    done = api("alice").post(f"/members/{ids['bob']}/leave")
    assert done.status_code == 200
    assert done.get_json()["has_left"] is True and done.get_json()["roles"] == []
    assert_problem(api("bob").get("/me"), 401)
    assert api("alice").get("/me").status_code == 200


def test_old_tokens_stay_dead_after_rejoining(api: Caller, net: Network,
                                              ids: dict[str, Any]) -> None:
    api("carol").post(f"/members/{ids['carol']}/leave")
    assert api("alice").post(f"/members/{ids['carol']}/rejoin").status_code == 200
    assert_problem(api("carol").get("/me"), 401)
    fresh = net.tokens.create(ids["carol"])["token"]
    assert net.tokens.member_for(fresh) == ids["carol"]


def test_refusals_are_problems_and_write_nothing(api: Caller, net: Network,
                                                 ids: dict[str, Any]) -> None:
    net.members.leave(ids["bob"], by=ids["bob"])
    before = net.app.last_position()
    path = f"/members/{ids['carol']}/leave"

    body = assert_problem(api("carol").post(f"/members/{ids['alice']}/leave"), 403)
    assert body["detail"] == "only a steward may record that another member left"
    assert_problem(api("nobody").post(path), 401)
    assert_problem(api("alice").post(f"/members/{MISSING}/leave"), 404)
    assert_problem(api("alice").post("/members/not-an-id/leave"), 404)
    assert_problem(api("carol").post(path, {"reason": "x" * 501}), 422, "reason")
    assert_problem(api("carol").post(path, {"note": "typo"}), 422, "note")
    conflict = assert_problem(api("alice").post(f"/members/{ids['bob']}/leave"), 409)
    assert conflict["detail"] == "Bob Baker has left the network already"

    assert net.app.last_position() == before
    assert net.members.get(ids["carol"])["has_left"] is False
    assert api("carol").get("/me").status_code == 200


def test_the_operation_is_in_the_openapi_document(api: Caller) -> None:
    spec = api("nobody").get("/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/members/{id}/leave"]["post"]
    assert {"403", "404", "409", "422"} <= set(operation["responses"])


def test_a_retried_leave_with_an_idempotency_key_answers_the_same(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    path, key = f"/members/{ids['bob']}/leave", {"Idempotency-Key": "leave-bob-1"}
    first = api("alice").post(path, {"reason": "moved"}, headers=key)
    after = net.app.last_position()
    again = api("alice").post(path, {"reason": "moved"}, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert net.app.last_position() == after
