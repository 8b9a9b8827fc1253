"""Circles through the API: forming them, admitting members, leaving."""

from __future__ import annotations

from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def test_a_steward_forms_a_circle_and_admits_members(
        api: Caller, ids: dict[str, Any]) -> None:
    alice = api("alice")
    formed = alice.post("/circles", {"name": "Bakers", "purpose": "Bread for all"})
    assert formed.status_code == 201
    circle = formed.get_json()
    assert circle["members"] == [] and circle["parent_id"] is None
    assert alice.get(formed.headers["Location"]).get_json()["name"] == "Bakers"

    admitted = alice.post(f"/circles/{circle['id']}/members", {"member_id": str(ids["bob"])})
    assert admitted.status_code == 200 and admitted.get_json()["members"] == [str(ids["bob"])]

    # The list (a read model) shows the new circle and its member at once.
    listed = api("bob").get("/circles").get_json()["items"]
    assert [(c["name"], c["members"]) for c in listed] == [("Bakers", 1)]

    # A circle within it: only members of Bakers may join.
    sub = alice.post("/circles", {"name": "Sourdough", "parent_id": circle["id"]}).get_json()
    assert_problem(alice.post(f"/circles/{sub['id']}/members",
                              {"member_id": str(ids["carol"])}), 409)


def test_forming_and_admitting_are_a_stewards_acts(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    assert_problem(api("bob").post("/circles", {"name": "Mine"}), 403)
    circle = net.circles.form(name="Bakers")
    assert_problem(api("bob").post(f"/circles/{circle}/members",
                                   {"member_id": str(ids["bob"])}), 403)
    assert_problem(api("nobody").post("/circles", {"name": "Mine"}), 401)


def test_refusals_when_forming_and_admitting(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    alice = api("alice")
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    assert_problem(alice.post("/circles", {"name": ""}), 422, "name")
    assert_problem(alice.post("/circles", {"name": "x" * 81}), 422, "name")
    assert_problem(alice.post("/circles", {"name": "Sub", "parent_id": MISSING}), 404)
    assert_problem(alice.post(f"/circles/{circle}/members", {"member_id": "nope"}), 422,
                   "member_id")
    assert_problem(alice.post(f"/circles/{circle}/members", {"member_id": MISSING}), 404)
    assert_problem(alice.post(f"/circles/{MISSING}/members",
                              {"member_id": str(ids["bob"])}), 404)
    assert_problem(alice.post(f"/circles/{circle}/members",
                              {"member_id": str(ids["bob"])}), 409)
    assert_problem(alice.get(f"/circles/{MISSING}"), 404)


def test_a_member_leaves_a_circle_but_removes_no_one_else(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    circle = net.circles.form(name="Bakers")
    for who in ("bob", "carol"):
        net.circles.admit(circle, ids[who])
    assert_problem(api("bob").delete(f"/circles/{circle}/members/{ids['carol']}"), 403)
    assert api("bob").delete(f"/circles/{circle}/members/{ids['bob']}").status_code == 204
    assert_problem(api("bob").delete(f"/circles/{circle}/members/{ids['bob']}"), 404)
    # A steward removes a member.
    assert api("alice").delete(f"/circles/{circle}/members/{ids['carol']}").status_code == 204
    assert net.circles.get(circle)["members"] == []
