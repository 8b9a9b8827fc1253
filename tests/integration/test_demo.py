"""The demo network: a year of a cooperative's life, loaded into an empty store,
the same story every time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from coop.bootstrap import Network, build
from coop.cli import main
from coop.config import Settings
from coop.demo import DEMO_MEMBER_EMAIL, DEMO_STEWARD_EMAIL, DemoNeedsEmptyStore, load
from domain.errors import StateConflict

YEAR_STARTS = datetime(2025, 11, 1, tzinfo=timezone.utc)
YEAR_ENDS = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Network, dict[str, int]]]:
    """One demo network on SQLite, loaded once for the tests that only read it."""
    net = build(Settings(data_dir=tmp_path_factory.mktemp("demo")), create_tables=True)
    try:
        yield net, load(net)
    finally:
        net.close()


def events(net: Network) -> list[Any]:
    """Return the whole log as domain events, in log order."""
    notifications = net.app.recorder.select_notifications(start=1, limit=100_000)
    return [net.app.mapper.to_domain_event(n) for n in notifications]


def created(net: Network, kind: str) -> list[Any]:
    """Return the ids of the aggregates a creation event of ``kind`` started."""
    return [e.originator_id for e in events(net) if type(e).__qualname__ == kind]


def test_the_demo_has_thirty_odd_members_and_two_stewards(demo):
    net, summary = demo
    members = [net.members.get(m) for m in created(net, "Member.Joined")]
    assert len(members) == summary["members"] >= 30
    assert {m["email"] for m in members if "steward" in m["roles"]} >= {DEMO_STEWARD_EMAIL}
    assert sum("steward" in m["roles"] for m in members) == summary["stewards"] == 2
    busy = net.members.get(net.members.id_for_email(DEMO_MEMBER_EMAIL))
    assert busy["roles"] == [] and busy["business"]
    assert all(m["email"].endswith("@demo.coop.example") and m["business"] for m in members)


def test_the_demo_member_is_among_the_busiest(demo):
    net, _ = demo
    acts = Counter(e.by for e in events(net))
    busy = net.members.id_for_email(DEMO_MEMBER_EMAIL)
    assert acts[busy] >= sorted(acts.values())[-5]


def test_four_circles_one_nested_two_with_a_mandate(demo):
    net, summary = demo
    circles = [net.circles.get(c) for c in created(net, "Circle.Formed")]
    assert len(circles) == summary["circles"] == 4
    nested = [c for c in circles if c["parent_id"] is not None]
    assert len(nested) == 1
    parent = net.circles.get(nested[0]["parent_id"])
    assert nested[0]["members"] and set(nested[0]["members"]) <= set(parent["members"])
    mandated = [c for c in circles if c["mandates"]]
    assert len(mandated) == 2
    assert all(m["decision"].startswith("Network assembly") for c in mandated
               for m in c["mandates"])


def test_gives_end_the_year_in_every_status(demo):
    net, summary = demo
    gives = [net.gives.get(g) for g in created(net, "Give.Recorded")]
    statuses = Counter(g["status"] for g in gives)
    assert set(statuses) == {"pending", "confirmed", "disputed", "reversed"}
    assert statuses["confirmed"] > len(gives) / 2
    assert [statuses[s] for s in ("confirmed", "pending", "disputed", "reversed")] == [
        summary[f"{s} gives"] for s in ("confirmed", "pending", "disputed", "reversed")]
    assert all(g["reversal_reason"] for g in gives if g["status"] == "reversed")
    assert all(Decimal("0.5") <= g["hours"] <= 8 and g["hours"] == g["hours"].quantize(
        Decimal("0.01")) for g in gives)
    assert any(g["circle_id"] for g in gives) and any(not g["circle_id"] for g in gives)
    # A confirmed give was reversed, and a disputed one was confirmed after all.
    log = events(net)
    assert any(type(e).__qualname__ == "Give.Reversed" and e.was == "confirmed" for e in log)
    disputed_once = {e.originator_id for e in log if type(e).__qualname__ == "Give.Disputed"}
    assert any(net.gives.get(g)["status"] == "confirmed" for g in disputed_once)


def test_referrals_end_the_year_in_every_state(demo):
    net, summary = demo
    referrals = [net.referrals.get(r) for r in created(net, "Referral.Made")]
    states = Counter(r["status"] for r in referrals)
    assert set(states) == {"made", "accepted", "declined", "business_closed", "lost"}
    assert states["business_closed"] == summary["referrals closed as business"]
    closed = [r for r in referrals if r["status"] == "business_closed"]
    assert all(r["currency"] == "EUR" and r["value"] > 0 for r in closed)
    assert any(r["thanked"] for r in closed)
    assert any(r["thanked"] for r in referrals if r["status"] == "lost")
    assert not any(r["thanked"] for r in referrals if r["status"] in ("made", "accepted"))


def test_offers_and_asks_are_updated_withdrawn_fulfilled_or_still_open(demo):
    net, summary = demo
    log = events(net)
    topics = Counter(type(e).__qualname__ for e in log)
    assert topics["Offer.Updated"] and topics["Offer.Withdrawn"] and topics["Ask.Updated"]
    asks = [net.postings.get_ask(a) for a in created(net, "Ask.Posted")]
    fulfilled = [a for a in asks if a["fulfilled_by"]]
    assert len(fulfilled) == summary["fulfilled asks"] > 0
    assert any(a["withdrawn"] for a in asks)
    assert any(not a["withdrawn"] and not a["fulfilled_by"] for a in asks)
    # A fulfilled ask points at a confirmed give to its author.
    give = net.gives.get(fulfilled[0]["fulfilled_by"])
    assert give["status"] == "confirmed" and give["receiver"] == fulfilled[0]["author"]


def test_the_log_runs_in_time_order_through_the_year(demo):
    net, summary = demo
    log = events(net)
    assert len(log) == summary["events in the log"]
    times = [e.timestamp for e in log]
    assert times == sorted(times)
    assert YEAR_STARTS <= times[0] and times[-1] < YEAR_ENDS
    assert len({t.strftime("%Y-%m") for t in times}) == 12
    # Weekdays are busier than weekends, day for day.
    weekend = sum(t.weekday() >= 5 for t in times)
    assert (len(times) - weekend) / 5 > weekend / 2
    # Every act was done by a member of the network, bar the first two stewards' arrival
    # and the closes the schedule (`coop proposals close-due`) records.
    members = set(created(net, "Member.Joined"))
    scheduled = [e for e in log if type(e).__qualname__ == "Proposal.Closed" and not e.early]
    assert scheduled and all(e.by not in members for e in scheduled)
    # Two Joined and two RoleGranted by the operator, and the scheduled closes.
    assert sum(e.by not in members for e in log) == 4 + len(scheduled)


def test_a_second_load_tells_the_same_story(demo, network):
    first, first_summary = demo
    # Load again into another empty store (on each backend).
    summary = load(network)
    assert summary == first_summary
    story = [(n.topic, e.timestamp) for n, e in _log_with_events(network)]
    assert story == [(n.topic, e.timestamp) for n, e in _log_with_events(first)]
    assert created(network, "Member.Joined") == created(first, "Member.Joined")


def _log_with_events(net: Network) -> list[tuple[Any, Any]]:
    notifications = net.app.recorder.select_notifications(start=1, limit=100_000)
    return [(n, net.app.mapper.to_domain_event(n)) for n in notifications]


def test_the_demo_refuses_a_store_that_already_has_events(sqlite_network):
    sqlite_network.members.add(email="real@example.org", name="A Real Member", steward=True)
    with pytest.raises(DemoNeedsEmptyStore, match=(
            r"^the demo loads only into an empty store; this one already has 2 events "
            r"\(use a fresh COOP_DATA_DIR\)$")):
        load(sqlite_network)
    assert sqlite_network.app.last_position() == 2
    assert issubclass(DemoNeedsEmptyStore, StateConflict)


def test_coop_demo_loads_once_and_then_refuses(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COOP_DATA_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    capsys.readouterr()
    # The first load prints what the demo holds.
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Loaded the demo network" in out
    assert "members" in out and "events in the log" in out and DEMO_STEWARD_EMAIL in out
    settings = Settings.from_env()
    before = _last_position(settings)
    # A second load is refused in one line, and writes nothing.
    assert main(["demo"]) != 0
    err = capsys.readouterr().err
    assert err == (f"coop: error: the demo loads only into an empty store; this one already "
                   f"has {before} events (use a fresh COOP_DATA_DIR)\n")
    assert _last_position(settings) == before


def _last_position(settings: Settings) -> int:
    net = build(settings)
    try:
        return net.app.last_position()
    finally:
        net.close()
