"""The Distribution aggregate: declared once, allocated exactly once."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal as D
from uuid import UUID, uuid4

import pytest

from domain.distribution import Distribution
from domain.errors import DistributionAlreadyAllocated, InvalidMoney, InvalidPeriod
from domain.fairshare import DEFAULT_WEIGHTS

STEWARD, CIRCLE = uuid4(), uuid4()
ANNA, BO, CHI = UUID(int=1), UUID(int=2), UUID(int=3)


def declare(**changes: object) -> Distribution:
    fields: dict[str, object] = dict(
        circle_id=CIRCLE, pool="1000.00", currency="EUR", period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31), rule_version=0, weights=DEFAULT_WEIGHTS, by=STEWARD,
    )
    fields.update(changes)
    return Distribution.declare(**fields)  # type: ignore[arg-type]


def test_a_declared_pool_is_shared_by_weight_and_recorded_with_its_weights():
    d = declare()
    d.allocate(member_weights={CHI: D(1), BO: D(3), ANNA: D(3)}, by=STEWARD)
    assert d.shares == [
        {"member_id": ANNA, "weight": D(3), "amount": D("428.57")},
        {"member_id": BO, "weight": D(3), "amount": D("428.57")},
        {"member_id": CHI, "weight": D(1), "amount": D("142.86")},
    ]
    assert d.total_weight == D(7)
    assert not d.carried_forward
    assert d.weights == DEFAULT_WEIGHTS and d.rule_version == 0


def test_a_distribution_is_allocated_only_once():
    d = declare()
    d.allocate(member_weights={ANNA: D(1)}, by=STEWARD)
    with pytest.raises(DistributionAlreadyAllocated, match="already been allocated"):
        d.allocate(member_weights={BO: D(1)}, by=STEWARD)
    assert [s["member_id"] for s in d.shares] == [ANNA]


def test_no_weight_records_an_allocation_that_carries_the_pool_forward():
    d = declare()
    d.allocate(member_weights={ANNA: D(0), BO: D(0)}, by=STEWARD)
    assert d.is_allocated and d.carried_forward
    assert d.shares == [] and d.total_weight == 0
    with pytest.raises(DistributionAlreadyAllocated):
        d.allocate(member_weights={ANNA: D(1)}, by=STEWARD)


def test_the_events_rebuild_the_same_distribution():
    d = declare(pool="10", currency="JPY")
    d.allocate(member_weights={ANNA: D(1), BO: D(2)}, by=STEWARD)
    events = d.collect_events()
    assert [type(e).__name__ for e in events] == ["Declared", "Allocated"]
    copy = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, Distribution)
    assert copy.shares == d.shares == [
        {"member_id": ANNA, "weight": D(1), "amount": D("3")},
        {"member_id": BO, "weight": D(2), "amount": D("7")},
    ]


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidPeriod, match="ends .2025-01-31. before it starts .2025-02-01."):
        declare(period_start=date(2025, 2, 1), period_end=date(2025, 1, 31))


def test_a_one_day_period_is_a_period():
    d = declare(period_start=date(2025, 2, 1), period_end=date(2025, 2, 1))
    assert d.period_start == d.period_end == date(2025, 2, 1)


@pytest.mark.parametrize("day", ["2025-01-01", datetime(2025, 1, 1, tzinfo=timezone.utc), None])
def test_a_period_is_given_by_dates_only(day):
    with pytest.raises(InvalidPeriod, match="given by dates"):
        declare(period_start=day)


@pytest.mark.parametrize(("pool", "currency", "message"), [
    ("0", "EUR", "more than 0"),
    ("-5.00", "EUR", "more than 0"),
    ("10.005", "EUR", "at most 2 decimal places"),
    ("10.5", "JPY", "at most 0 decimal places"),
    ("ten", "EUR", "must be a number"),
    ("10", "XXX", "not a currency code"),
])
def test_a_pool_must_be_money_in_a_known_currency(pool, currency, message):
    with pytest.raises(InvalidMoney, match=message):
        declare(pool=pool, currency=currency)


def test_a_period_lies_within_the_calendar_a_ledger_can_count() -> None:
    from datetime import date

    from domain.distribution import check_period
    from domain.errors import InvalidPeriod

    with pytest.raises(InvalidPeriod, match="between 1970-01-01 and 2999-12-31"):
        check_period(date(2026, 1, 1), date(9999, 12, 31))
