"""Contribution rules and surplus distributions through the service, on every backend."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal as D
from uuid import UUID

import pytest

from coop.bootstrap import Network, build
from coop.cli import main
from coop.config import Settings
from coop.services.fairshare import FairShare
from domain import clock
from domain.distribution import Distribution
from domain.errors import (
    DistributionAlreadyAllocated,
    InvalidMoney,
    InvalidPeriod,
    InvalidValue,
    NotASteward,
    NotFound,
)
from domain.fairshare import Activity

Q1 = {"period_start": "2025-01-01", "period_end": "2025-03-31"}


@dataclass
class FakeLedger:
    """Stands in for the ledger read model: hands back whatever activity it is told."""

    by_circle: dict[UUID, list[Activity]] = field(default_factory=dict)
    asked: list[tuple[UUID, date, date]] = field(default_factory=list)

    def activity(self, circle_id: UUID, period_start: date,
                 period_end: date) -> Sequence[Activity]:
        self.asked.append((circle_id, period_start, period_end))
        return list(self.by_circle.get(circle_id, []))


@dataclass
class World:
    net: Network
    ledger: FakeLedger
    fairshare: FairShare
    steward: UUID
    anna: UUID
    bo: UUID
    chi: UUID
    dee: UUID
    circle: UUID


@pytest.fixture
def world(network: Network) -> World:
    ledger = FakeLedger()
    fairshare = FairShare(network.app, network.authority, ledger)
    steward = network.members.add(email="sam@coop.test", name="Sam", steward=True)
    anna = network.members.add(email="anna@coop.test", name="Anna")
    bo = network.members.add(email="bo@coop.test", name="Bo")
    chi = network.members.add(email="chi@coop.test", name="Chi")
    dee = network.members.add(email="dee@coop.test", name="Dee")
    circle = network.circles.form(name="Makers")
    return World(network, ledger, fairshare, steward, anna, bo, chi, dee, circle)


def test_a_steward_shares_a_pool_by_the_default_rule(world: World):
    # Anna and Bo gave 3 hours each, Chi passed nothing but gave an hour.
    world.ledger.by_circle[world.circle] = [
        Activity(world.anna, give_hours=D("3.00")),
        Activity(world.bo, give_hours=D("1.00"), referrals_passed=1),
        Activity(world.chi, give_hours=D("1.00")),
    ]
    distribution_id = world.fairshare.distribute(
        world.circle, **Q1, pool="1000.00", currency="eur", by=world.steward)

    # The ledger was asked for the circle's activity in exactly that period.
    assert world.ledger.asked == [(world.circle, date(2025, 1, 1), date(2025, 3, 31))]
    d = world.fairshare.get(distribution_id)
    assert (d["pool"], d["currency"], d["rule_version"]) == (D("1000.00"), "EUR", 0)
    assert {s["member_id"]: (str(s["weight"]), str(s["amount"])) for s in d["shares"]} == {
        world.anna: ("3", "428.57"), world.bo: ("3", "428.57"), world.chi: ("1", "142.86"),
    }
    assert d["shares"][-1]["member_id"] == world.chi  # largest share first
    assert d["allocated"] == D("1000.00") and d["total_weight"] == D(7)
    assert not d["carried_forward"]
    assert world.fairshare.recompute(distribution_id)


def test_declared_and_allocated_are_one_write(world: World):
    world.ledger.by_circle[world.circle] = [Activity(world.anna, give_hours=D(2))]
    before = world.net.app.last_position()
    distribution_id = world.fairshare.distribute(
        world.circle, **Q1, pool="10", currency="EUR", by=world.steward)
    events = list(world.net.app.events.get(distribution_id))
    assert [type(e).__name__ for e in events] == ["Declared", "Allocated"]
    assert world.net.app.last_position() - before >= 2
    with pytest.raises(DistributionAlreadyAllocated):
        world.net.app.load(Distribution, distribution_id, "distribution").allocate(
            member_weights={world.bo: D(1)}, by=world.steward)


def test_with_no_activity_the_pool_is_carried_forward(world: World):
    world.ledger.by_circle[world.circle] = [Activity(world.anna), Activity(world.bo)]
    distribution_id = world.fairshare.distribute(
        world.circle, **Q1, pool="250.00", currency="EUR", by=world.steward)
    d = world.fairshare.get(distribution_id)
    assert d["carried_forward"] and d["shares"] == [] and d["allocated"] == 0
    assert world.fairshare.recompute(distribution_id)


def test_only_a_steward_distributes_or_sets_the_rule(world: World):
    with pytest.raises(NotASteward, match="only a steward may distribute"):
        world.fairshare.distribute(world.circle, **Q1, pool="10", currency="EUR",
                                   by=world.anna)
    with pytest.raises(NotASteward, match="only a steward may set"):
        world.fairshare.set_rule(world.circle, give_hour="5", referral_passed="0",
                                 per_1000_closed="0", by=world.anna)
    assert world.fairshare.rule(world.circle)["version"] == 0


def test_an_unknown_circle_or_distribution_is_not_found(world: World):
    with pytest.raises(NotFound, match="no circle"):
        world.fairshare.distribute(UUID(int=7), **Q1, pool="10", currency="EUR",
                                   by=world.steward)
    with pytest.raises(NotFound, match="no circle"):
        world.fairshare.set_rule("not-an-id", give_hour="1", referral_passed="1",
                                 per_1000_closed="1", by=world.steward)
    with pytest.raises(NotFound, match="no distribution"):
        world.fairshare.get(world.circle)
    with pytest.raises(NotFound, match="no distribution"):
        world.fairshare.recompute(UUID(int=9))


@pytest.mark.parametrize(("changes", "error"), [
    ({"period_start": "2025-04-01"}, InvalidPeriod),
    ({"period_end": "31/03/2025"}, InvalidPeriod),
    ({"pool": "-1"}, InvalidMoney),
    ({"pool": "1.234"}, InvalidMoney),
    ({"currency": "ZZZ"}, InvalidMoney),
])
def test_bad_input_writes_nothing(world: World, changes, error):
    before = world.net.app.last_position()
    fields = {**Q1, "pool": "100.00", "currency": "EUR", **changes}
    with pytest.raises(error):
        world.fairshare.distribute(world.circle, by=world.steward, **fields)
    assert world.net.app.last_position() == before


def test_a_result_under_an_old_rule_stays_reproducible(world: World):
    world.ledger.by_circle[world.circle] = [
        Activity(world.anna, give_hours=D("10")),
        Activity(world.bo, referrals_passed=2, closed_business={"EUR": D("3000.00")}),
    ]
    # Under version 1 hours count double: Anna 20, Bo 2 x 1 + 3 x 1 = 5.
    assert world.fairshare.set_rule(world.circle, give_hour="2", referral_passed="1",
                                    per_1000_closed="1", by=world.steward) == 1
    first = world.fairshare.distribute(world.circle, **Q1, pool="100.00", currency="EUR",
                                       by=world.steward)
    # Version 2 counts only closed business: Bo 3 x 10 = 30, Anna 0.
    assert world.fairshare.set_rule(world.circle, give_hour="0", referral_passed="0",
                                    per_1000_closed="10", by=world.steward) == 2
    second = world.fairshare.distribute(world.circle, **Q1, pool="100.00", currency="EUR",
                                        by=world.steward)

    old, new = world.fairshare.get(first), world.fairshare.get(second)
    assert old["rule_version"] == 1 and old["weights"]["give_hour"] == D(2)
    assert {s["member_id"]: s["amount"] for s in old["shares"]} == {
        world.anna: D("80.00"), world.bo: D("20.00")}
    assert {s["member_id"]: s["amount"] for s in new["shares"]} == {
        world.anna: D("0.00"), world.bo: D("100.00")}
    # The first result is recomputed under version 1, not under the rule now in force.
    assert world.fairshare.recompute(first) and world.fairshare.recompute(second)


def test_recompute_notices_when_the_activity_no_longer_gives_the_recorded_shares(world: World):
    world.ledger.by_circle[world.circle] = [Activity(world.anna, give_hours=D(1)),
                                            Activity(world.bo, give_hours=D(1))]
    distribution_id = world.fairshare.distribute(
        world.circle, **Q1, pool="9.99", currency="EUR", by=world.steward)
    # A give in the period is reversed afterwards: the recorded shares stand, but
    # recomputing from today's ledger no longer agrees with them.
    world.ledger.by_circle[world.circle] = [Activity(world.anna, give_hours=D(1))]
    assert not world.fairshare.recompute(distribution_id)


def test_the_rule_shows_the_default_then_every_version(world: World):
    rule = world.fairshare.rule(world.circle)
    assert rule["version"] == 0 and rule["is_default"]
    assert rule["weights"] == {"give_hour": D(1), "referral_passed": D(2),
                               "per_1000_closed": D(1)}
    world.fairshare.set_rule(world.circle, give_hour="1.25", referral_passed="0",
                             per_1000_closed="3", by=world.steward)
    rule = world.fairshare.rule(world.circle)
    assert rule["version"] == 1 and not rule["is_default"]
    assert rule["weights"]["give_hour"] == D("1.25")
    assert [h["version"] for h in rule["history"]] == [0, 1]
    with pytest.raises(InvalidValue, match="at least one weight"):
        world.fairshare.set_rule(world.circle, give_hour="0", referral_passed="0",
                                 per_1000_closed="0", by=world.steward)
    assert world.fairshare.rule(world.circle)["version"] == 1


def test_the_network_ledger_feeds_a_distribution(world: World):
    net, circle = world.net, world.circle
    with clock.frozen_at(datetime(2025, 2, 10, 12, tzinfo=timezone.utc)):
        for member in (world.anna, world.bo, world.chi, world.dee):
            net.circles.admit(circle, member)
        # Anna helps Bo for 3 hours, Bo helps Chi for 1, Chi helps Anna for 1.
        for giver, receiver, hours in [(world.anna, world.bo, "3"), (world.bo, world.chi, "1"),
                                       (world.chi, world.anna, "1")]:
            give = net.gives.record(receiver_id=receiver, hours=hours, description="help",
                                    circle_id=circle, by=giver)
            net.gives.confirm(give, by=receiver)
        # Bo passes Chi a prospect who closes 2000.00 EUR of business.
        referral = net.referrals.make(receiver_id=world.chi, prospect="Acme", need="a roof",
                                      warmth=4, circle_id=circle, by=world.bo)
        net.referrals.accept(referral, by=world.chi)
        net.referrals.close_business(referral, value="2000.00", currency="EUR", by=world.chi)
        # Dee's give is never confirmed, so it does not count.
        net.gives.record(receiver_id=world.anna, hours="5", description="help",
                         circle_id=circle, by=world.dee)
        distribution_id = net.fairshare.distribute(
            circle, **Q1, pool="1000.00", currency="EUR", by=world.steward)

    # Weights: Anna 3; Bo 1 + 2 + 2000 / 1000 = 5; Chi 1; Dee 0 (W = 9). Rounded down
    # 333.33 + 555.55 + 111.11 = 999.99; the cent goes to Bo's remainder of 5/9.
    d = net.fairshare.get(distribution_id)
    assert {s["member_id"]: (str(s["weight"]), str(s["amount"])) for s in d["shares"]} == {
        world.anna: ("3", "333.33"), world.bo: ("5", "555.56"),
        world.chi: ("1", "111.11"), world.dee: ("0", "0.00"),
    }
    assert net.fairshare.recompute(distribution_id)


# The command line (SQLite: the service is covered on both backends above)


@pytest.fixture
def coop(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Return a function running ``coop ARGS...`` in-process: (exit code, out, err)."""
    monkeypatch.setenv("COOP_DATA_DIR", str(sqlite_settings.data_dir))
    monkeypatch.delenv("COOP_DATABASE_URL", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def makers(sqlite_settings: Settings) -> dict[str, str]:
    """A circle where Anna gave Bo 3 hours and Bo gave Anna 1, in February 2025."""
    net = build(sqlite_settings, create_tables=True)
    try:
        anna = net.members.add(email="anna@coop.test", name="Anna")
        bo = net.members.add(email="bo@coop.test", name="Bo")
        circle = net.circles.form(name="Makers")
        with clock.frozen_at(datetime(2025, 2, 10, tzinfo=timezone.utc)):
            for member in (anna, bo):
                net.circles.admit(circle, member)
            for giver, receiver, hours in [(anna, bo, "3"), (bo, anna, "1")]:
                give = net.gives.record(receiver_id=receiver, hours=hours, description="help",
                                        circle_id=circle, by=giver)
                net.gives.confirm(give, by=receiver)
        return {"circle": str(circle), "anna": str(anna), "bo": str(bo)}
    finally:
        net.close()


def distribute_args(circle: str, *extra: str, pool: str = "100.00") -> list[str]:
    return ["distribute", "--circle", circle, "--period-start", "2025-01-01",
            "--period-end", "2025-03-31", "--pool", pool, "--currency", "EUR", *extra]


def test_coop_distribute_prints_each_share_and_the_total(coop, makers):
    code, out, err = coop(*distribute_args(makers["circle"]))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].split() == ["member", "weight", "share"]
    assert lines[2].split() == ["Anna", "3", "75.00"]
    assert lines[3].split() == ["Bo", "1", "25.00"]
    assert lines[4].split() == ["total", "4", "100.00"]


def test_coop_distribute_json_is_the_documented_shape(coop, makers):
    code, out, _ = coop(*distribute_args(makers["circle"], "--format", "json", pool="0.03"))
    assert code == 0
    d = json.loads(out)
    assert d["pool"] == "0.03" and d["currency"] == "EUR" and d["rule_version"] == 0
    assert d["weights"] == {"give_hour": "1", "referral_passed": "2", "per_1000_closed": "1"}
    assert (d["total_weight"], d["allocated"], d["carried_forward"]) == ("4", "0.03", False)
    # 3 cents by 3 : 1 gives 2.25 and 0.75 cents: floors 2 and 0, the cent to Bo's 0.75.
    assert [(s["name"], s["weight"], s["amount"]) for s in d["shares"]] == [
        ("Anna", "3", "0.02"), ("Bo", "1", "0.01")]
    code, out, _ = coop("distribution", "show", d["id"], "--format", "json")
    assert code == 0 and json.loads(out)["recomputed_agrees"] is True


def test_coop_distribute_with_no_activity_says_the_pool_is_carried_forward(coop, makers):
    code, out, _ = coop("distribute", "--circle", makers["circle"], "--period-start",
                        "2024-01-01", "--period-end", "2024-12-31", "--pool", "80",
                        "--currency", "EUR")
    assert code == 0
    assert "W = 0: nothing allocated, the pool of 80.00 EUR is carried forward." in out


@pytest.mark.parametrize(("change", "message"), [
    (("--period-end", "2024-12-31"), "the period ends (2024-12-31) before it starts"),
    (("--pool", "10.001"), "EUR takes at most 2 decimal places"),
    (("--currency", "XYZ"), "'XYZ' is not a currency code"),
    (("--circle", "nope"), "no circle with id 'nope'"),
    (("--period-start", "1 Jan"), "'1 Jan' is not a date"),
])
def test_coop_distribute_refuses_bad_input_in_one_line_and_writes_nothing(
        coop, makers, sqlite_settings, change, message):
    args = distribute_args(makers["circle"])
    args[args.index(change[0]) + 1] = change[1]
    before = _last_position(sqlite_settings)
    code, out, err = coop(*args)
    assert code == 1 and out == ""
    assert err.startswith("coop: error: ") and message in err and err.count("\n") == 1
    assert _last_position(sqlite_settings) == before


def test_coop_rule_set_then_show(coop, makers):
    code, out, _ = coop("rule", "show", "--circle", makers["circle"])
    assert code == 0 and "version 0 (the default" in out
    code, out, _ = coop("rule", "set", "--circle", makers["circle"], "--give-hour", "2",
                        "--referral-passed", "0", "--per-1000-closed", "0.5")
    assert code == 0 and "version 1 is now in force" in out
    code, out, _ = coop("rule", "show", "--circle", makers["circle"])
    assert "* v1: 2 per give-hour, 0 per referral passed, 0.5 per 1000" in out
    code, _, err = coop("rule", "set", "--circle", makers["circle"], "--give-hour", "0",
                        "--referral-passed", "0", "--per-1000-closed", "0")
    assert code == 1 and "at least one weight" in err


def _last_position(settings: Settings) -> int:
    net = build(settings)
    try:
        return net.app.last_position()
    finally:
        net.close()
