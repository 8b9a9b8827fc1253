"""The caller's delegation of their vote in a circle, through the API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


@pytest.fixture
def circle(net: Network, ids: dict[str, Any]) -> UUID:
    circle = net.circles.form(name="Bakers")
    for who in ("alice", "bob"):
        net.circles.admit(circle, ids[who])
    return circle


def test_a_member_delegates_their_vote_and_revokes_it(
        api: Caller, circle: UUID, ids: dict[str, Any]) -> None:
    bob = api("bob")
    path = f"/circles/{circle}/delegation"
    assert bob.get(path).get_json() == {"circle_id": str(circle), "delegate_id": None}
    granted = bob.put(path, {"delegate_id": str(ids["alice"])})
    assert granted.status_code == 200
    assert granted.get_json()["delegate_id"] == str(ids["alice"])
    # It is Bob's own: Alice's delegation in the circle is untouched.
    assert api("alice").get(path).get_json()["delegate_id"] is None
    assert_problem(bob.put(path, {"delegate_id": str(ids["alice"])}), 409)  # already
    assert bob.delete(path).status_code == 204
    assert bob.get(path).get_json()["delegate_id"] is None
    assert_problem(bob.delete(path), 409)


def test_refusals(api: Caller, circle: UUID, ids: dict[str, Any]) -> None:
    path = f"/circles/{circle}/delegation"
    assert_problem(api("nobody").put(path, {"delegate_id": str(ids["alice"])}), 401)
    # Carol is not in the circle: she cannot delegate there, nor be delegated to.
    assert_problem(api("carol").put(path, {"delegate_id": str(ids["alice"])}), 403)
    assert_problem(api("bob").put(path, {"delegate_id": str(ids["carol"])}), 403)
    assert_problem(api("bob").put(path, {"delegate_id": str(ids["bob"])}), 422)  # oneself
    assert_problem(api("bob").put(path, {"delegate_id": "alice"}), 422, "delegate_id")
    assert_problem(api("bob").put(f"/circles/{MISSING}/delegation",
                                  {"delegate_id": str(ids["alice"])}), 404)
    assert_problem(api("bob").delete(path), 404)  # never delegated
