"""Welcoming back a member who left, through the API (stewards only)."""

from __future__ import annotations

from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def carol_left(net: Network, ids: dict[str, Any]) -> str:
    circle = net.circles.form(name="Garden")
    net.circles.admit(circle, ids["carol"])
    net.members.leave(ids["carol"], reason="moving away", by=ids["carol"])
    return str(circle)


def test_a_steward_welcomes_back_a_member_who_left(api: Caller, net: Network,
                                                  ids: dict[str, Any]) -> None:
    garden = carol_left(net, ids)
    assert api("alice").get(f"/members/{ids['carol']}").get_json()["has_left"] is True

    done = api("alice").post(f"/members/{ids['carol']}/rejoin", {"note": "back in town"})

    assert done.status_code == 200, done.get_data(as_text=True)
    body = done.get_json()
    assert body["id"] == str(ids["carol"]) and body["has_left"] is False
    assert body["roles"] == []
    assert body["circles_ended"] == [{"id": garden, "name": "Garden"}]
    # Listed in the directory again, and in no circle until one admits her.
    names = [m["name"] for m in api("bob").get("/members").get_json()["items"]]
    assert "Carol Carpenter" in names
    assert str(ids["carol"]) not in api("bob").get(f"/circles/{garden}").get_json()["members"]


def test_the_body_is_optional(api: Caller, net: Network, ids: dict[str, Any]) -> None:
    carol_left(net, ids)
    done = api("alice").post(f"/members/{ids['carol']}/rejoin")
    assert done.status_code == 200 and done.get_json()["has_left"] is False


def test_refusals_are_problems_and_write_nothing(api: Caller, net: Network,
                                                 ids: dict[str, Any]) -> None:
    carol_left(net, ids)
    before = net.app.last_position()
    path = f"/members/{ids['carol']}/rejoin"

    body = assert_problem(api("bob").post(path), 403)
    assert body["detail"] == "only a steward may welcome back a member who left"
    assert_problem(api("nobody").post(path), 401)
    assert_problem(api("alice").post(f"/members/{MISSING}/rejoin"), 404)
    assert_problem(api("alice").post("/members/not-an-id/rejoin"), 404)
    assert_problem(api("alice").post(path, {"note": "x" * 501}), 422, "note")
    assert_problem(api("alice").post(path, {"reason": "typo"}), 422, "reason")
    conflict = assert_problem(api("alice").post(f"/members/{ids['bob']}/rejoin"), 409)
    assert conflict["detail"] == "Bob Baker is already a member and has not left"

    assert net.app.last_position() == before
    assert net.members.get(ids["carol"])["has_left"] is True


def test_adding_the_email_of_one_who_left_says_to_welcome_them_back(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    carol_left(net, ids)
    before = net.app.last_position()
    body = assert_problem(api("alice").post("/members", {"email": "carol@coop.test",
                                                         "name": "Carol Again"}), 409)
    assert "left the network on" in body["detail"]
    assert "welcome them back instead of adding them again" in body["detail"]
    assert net.app.last_position() == before
