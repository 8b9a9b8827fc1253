"""The ledger through the API: the network's and a circle's, a member's figures and
statement, now and as of a past day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def confirmed_give(net: Network, ids: dict[str, Any], giver: str, receiver: str,
                   hours: str) -> None:
    give = net.gives.record(receiver_id=ids[receiver], hours=hours, description="Help",
                            by=ids[giver])
    net.gives.confirm(give, by=ids[receiver])


def test_the_network_ledger_shows_every_members_figures(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    confirmed_give(net, ids, "alice", "bob", "3")
    ledger = api("carol").get("/ledger").get_json()
    figures = {m["name"]: (m["given"], m["received"], m["index"]) for m in ledger["members"]}
    assert figures["Alice Steward"] == ("3.00", "0.00", "1.0000")
    assert figures["Carol Carpenter"] == ("0.00", "0.00", None)
    assert ledger["scope"] == {"circle_id": None, "name": "the network"}
    assert ledger["totals"]["given"] == "3.00"


def test_a_circles_ledger_and_a_members_figures(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    circle = net.circles.form(name="Bakers")
    for who in ("alice", "bob"):
        net.circles.admit(circle, ids[who])
    give = net.gives.record(receiver_id=ids["bob"], hours="2", description="x",
                            circle_id=circle, by=ids["alice"])
    net.gives.confirm(give, by=ids["bob"])
    ledger = api("carol").get(f"/ledger?circle={circle}").get_json()
    assert [m["name"] for m in ledger["members"]] == ["Alice Steward", "Bob Baker"]
    mine = api("bob").get(f"/ledger/members/{ids['bob']}").get_json()
    assert Decimal(mine["received"]) == 2 and mine["months"][0]["received"] == "2.00"
    assert_problem(api("bob").get(f"/ledger?circle={MISSING}"), 404)


def test_a_statement_traces_every_line_to_its_event(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    confirmed_give(net, ids, "alice", "bob", "1.5")
    confirmed_give(net, ids, "bob", "alice", "0.5")
    statement = api("alice").get(f"/ledger/members/{ids['bob']}/statement").get_json()
    assert [(line["kind"], line["balance"]) for line in statement["lines"]] == \
        [("received", "-1.50"), ("given", "-1.00")]
    assert all(line["position"] > 0 for line in statement["lines"])
    assert statement["balance"] == "-1.00"


def test_as_of_a_past_day_and_refusals(api: Caller, net: Network, ids: dict[str, Any]) -> None:
    confirmed_give(net, ids, "alice", "bob", "1")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    before = api("bob").get(f"/ledger/members/{ids['bob']}/statement?as_of={yesterday}")
    assert before.get_json()["lines"] == [] and before.get_json()["as_of"] == yesterday
    assert_problem(api("bob").get(f"/ledger?as_of={tomorrow}"), 422, "as_of")
    assert_problem(api("bob").get("/ledger?as_of=31/05/2026"), 422, "as_of")
    assert_problem(api("bob").get(f"/ledger/members/{MISSING}/statement"), 404)
    assert_problem(api("nobody").get("/ledger"), 401)
