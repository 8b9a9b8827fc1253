"""Contribution rules and distributions through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem

WEIGHTS = {"give_hour": "2", "referral_passed": "0", "per_1000_closed": "0.5"}


@pytest.fixture
def circle(net: Network, ids: dict[str, Any]) -> UUID:
    circle = net.circles.form(name="Bakers")
    for who in ("alice", "bob", "carol"):
        net.circles.admit(circle, ids[who])
    return circle


def test_a_steward_sets_a_circles_contribution_rule(api: Caller, circle: UUID) -> None:
    assert api("bob").get(f"/circles/{circle}/contribution-rule").get_json()["is_default"]
    rule = api("alice").put(f"/circles/{circle}/contribution-rule", WEIGHTS)
    assert rule.status_code == 200
    assert rule.get_json()["version"] == 1
    assert rule.get_json()["weights"] == {"give_hour": "2", "referral_passed": "0",
                                          "per_1000_closed": "0.5"}
    assert_problem(api("bob").put(f"/circles/{circle}/contribution-rule", WEIGHTS), 403)
    assert_problem(api("alice").put(f"/circles/{MISSING}/contribution-rule", WEIGHTS), 404)
    assert_problem(api("alice").put(f"/circles/{circle}/contribution-rule",
                                    {**WEIGHTS, "give_hour": "-1"}), 422, "give_hour")
    zero = {k: "0" for k in WEIGHTS}
    assert_problem(api("alice").put(f"/circles/{circle}/contribution-rule", zero), 422)


def test_a_steward_shares_a_pool_by_contribution(
        api: Caller, net: Network, ids: dict[str, Any], circle: UUID) -> None:
    give = net.gives.record(receiver_id=ids["bob"], hours="3", description="x",
                            circle_id=circle, by=ids["alice"])
    net.gives.confirm(give, by=ids["bob"])
    year = {"circle_id": str(circle), "period_start": "2020-01-01",
            "period_end": "2030-12-31", "pool": "100.00", "currency": "EUR"}
    made = api("alice").post("/distributions", year)
    assert made.status_code == 201
    distribution = made.get_json()
    # Only Alice gave: her share is the whole pool; Bob and Carol's are nothing.
    assert [(s["member_id"], s["amount"]) for s in distribution["shares"]][0] == \
        (str(ids["alice"]), "100.00")
    assert {s["amount"] for s in distribution["shares"][1:]} == {"0.00"}
    assert Decimal(distribution["allocated"]) == Decimal(100)
    assert api("carol").get(made.headers["Location"]).get_json() == distribution
    listed = api("carol").get(f"/distributions?circle={circle}").get_json()["items"]
    assert [d["id"] for d in listed] == [distribution["id"]]


def test_distribution_refusals(api: Caller, circle: UUID) -> None:
    year = {"circle_id": str(circle), "period_start": "2026-01-01",
            "period_end": "2026-12-31", "pool": "100", "currency": "EUR"}
    assert_problem(api("bob").post("/distributions", year), 403)
    assert_problem(api("nobody").post("/distributions", year), 401)
    assert_problem(api("alice").post("/distributions", {**year, "circle_id": MISSING}), 404)
    assert_problem(api("alice").post("/distributions", {**year, "period_end": "2025-01-01"}),
                   422, "period_end")
    assert_problem(api("alice").post("/distributions", {**year, "pool": "lots"}), 422, "pool")
    assert_problem(api("alice").post("/distributions", {**year, "period_end": "9999-12-31"}),
                   422, "period_end")
    assert_problem(api("alice").get(f"/distributions/{MISSING}"), 404)
