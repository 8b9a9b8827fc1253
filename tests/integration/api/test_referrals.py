"""Referrals through the API: made, answered, closed with a value, thanked."""

from __future__ import annotations

from typing import Any

import pytest

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def refer(ids: dict[str, Any], who: str = "bob", **extra: Any) -> dict[str, Any]:
    return {"receiver_id": str(ids[who]), "prospect": "Riverside Café",
            "need": "Weekly bread", "warmth": 4, **extra}


def test_a_referral_is_accepted_closed_and_thanked(api: Caller, ids: dict[str, Any]) -> None:
    made = api("alice").post("/referrals", refer(ids))
    assert made.status_code == 201
    referral = made.get_json()
    assert referral["status"] == "made" and referral["warmth"] == 4
    path = f"/referrals/{referral['id']}"
    bob = api("bob")
    assert bob.get("/referrals?waiting=true").get_json()["items"][0]["id"] == referral["id"]
    assert bob.post(f"{path}/accept").get_json()["status"] == "accepted"
    closed = bob.post(f"{path}/close", {"value": "1200.5", "currency": "eur"}).get_json()
    assert (closed["status"], closed["value"], closed["currency"]) == \
        ("business_closed", "1200.50", "EUR")
    assert bob.post(f"{path}/thank", {"message": "Thank you!"}).get_json()["thanked"] is True
    assert_problem(bob.post(f"{path}/thank"), 409)
    assert_problem(bob.post(f"{path}/accept"), 409)


@pytest.mark.parametrize("answer", ["decline", "lost"])
def test_a_referral_declined_or_lost_with_a_reason(
        api: Caller, ids: dict[str, Any], answer: str) -> None:
    referral = api("alice").post("/referrals", refer(ids)).get_json()
    path = f"/referrals/{referral['id']}"
    if answer == "lost":
        api("bob").post(f"{path}/accept")
    done = api("bob").post(f"{path}/{answer}", {"reason": "Too far"})
    assert done.status_code == 200
    assert done.get_json()["status"] == {"decline": "declined", "lost": "lost"}[answer]


def test_only_its_two_members_and_stewards_read_a_referral(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    referral = net.referrals.make(receiver_id=ids["bob"], prospect="Café", need="Bread",
                                  warmth=3, by=ids["carol"])
    for who in ("bob", "carol", "alice"):
        assert api(who).get(f"/referrals/{referral}").status_code == 200
    other = net.referrals.make(receiver_id=ids["alice"], prospect="Shop", need="Cakes",
                               warmth=3, by=ids["carol"])
    assert_problem(api("bob").get(f"/referrals/{other}"), 403)


def test_refusals(api: Caller, ids: dict[str, Any]) -> None:
    referral = api("alice").post("/referrals", refer(ids)).get_json()
    path = f"/referrals/{referral['id']}"
    assert_problem(api("nobody").post("/referrals", refer(ids)), 401)
    assert_problem(api("carol").post(f"{path}/accept"), 403)  # not the receiver
    assert_problem(api("bob").post(f"/referrals/{MISSING}/accept"), 404)
    assert_problem(api("alice").post("/referrals", refer(ids, receiver_id=MISSING)), 404)
    assert_problem(api("alice").post("/referrals", refer(ids, warmth=6)), 422, "warmth")
    assert_problem(api("alice").post("/referrals", refer(ids, warmth="4")), 422, "warmth")
    assert_problem(api("bob").post(f"{path}/close", {"value": "10"}), 422, "currency")
    assert_problem(api("bob").post(f"{path}/close", {"value": "1.234", "currency": "EUR"}),
                   422, "value")
    assert_problem(api("bob").post(f"{path}/close", {"value": "10", "currency": "XXX"}),
                   422, "currency")
    # Business is closed only on an accepted referral.
    assert_problem(api("bob").post(f"{path}/close", {"value": "10", "currency": "EUR"}), 409)
