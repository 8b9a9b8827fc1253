"""A surplus distribution: a pool declared for a circle and period, then shared."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import DistributionAlreadyAllocated, InvalidPeriod
from domain.fairshare import ContributionWeights, allocate, exact_sum
from domain.values import CURRENCY_MINOR_UNITS, Money, parse_money


EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def check_period(period_start: object, period_end: object) -> tuple[date, date]:
    """Return the period as two dates, refusing an end before the start."""
    for day in (period_start, period_end):
        # A datetime is a date too, but a period is whole days: refuse the ambiguity.
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidPeriod(f"a period is given by dates, not '{day}'")
    assert isinstance(period_start, date) and isinstance(period_end, date)
    for day in (period_start, period_end):
        # Beyond these the calendar arithmetic of a ledger overflows; no co-op needs them.
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidPeriod(f"a period lies between {EARLIEST_DAY} and {LATEST_DAY}")
    if period_end < period_start:
        raise InvalidPeriod(
            f"the period ends ({period_end}) before it starts ({period_start})"
        )
    return period_start, period_end


class Distribution(CoopAggregate):
    """Declared once, then allocated exactly once: the shares are an auditable event."""

    @classmethod
    def declare(cls, *, circle_id: UUID, pool: object, currency: object,
                period_start: object, period_end: object, rule_version: int,
                weights: ContributionWeights, by: UUID) -> Distribution:
        """Return a declared distribution of ``pool`` under the given rule version."""
        start, end = check_period(period_start, period_end)
        return cls._create(
            cls.Declared,
            circle_id=circle_id,
            pool=parse_money(pool, currency),
            period_start=start,
            period_end=end,
            rule_version=rule_version,
            weights={"give_hour": weights.give_hour,
                     "referral_passed": weights.referral_passed,
                     "per_1000_closed": weights.per_1000_closed},
            by=by,
        )

    class Declared(CoopAggregate.Created):
        circle_id: UUID
        pool: Money
        period_start: date
        period_end: date
        rule_version: int
        weights: dict[str, Decimal]
        by: UUID

    @event(Declared)
    def __init__(self, *, circle_id: UUID, pool: Money, period_start: date, period_end: date,
                 rule_version: int, weights: dict[str, Decimal], by: UUID):
        self.circle_id = circle_id
        self.pool = pool
        self.period_start = period_start
        self.period_end = period_end
        self.rule_version = rule_version
        self.weights = ContributionWeights(**weights)
        self.declared_by = by
        self.shares: list[dict[str, Any]] = []
        self.total_weight = Decimal(0)
        self.carried_forward = False
        self.is_allocated = False

    @property
    def minor_unit(self) -> int:
        return CURRENCY_MINOR_UNITS[self.pool.currency]

    def share_out(self, member_weights: Mapping[UUID, Decimal]) -> dict[UUID, Decimal]:
        """Return the shares the pool makes for these contribution weights (empty: W = 0)."""
        return allocate(self.pool.amount, member_weights, self.minor_unit)

    def allocate(self, *, member_weights: Mapping[UUID, Decimal], by: UUID) -> None:
        """Share the pool by contribution weight, once; W = 0 carries the pool forward."""
        if self.is_allocated:
            raise DistributionAlreadyAllocated("this distribution has already been allocated")
        amounts = self.share_out(member_weights)
        # Sorted by member id so the recorded event does not depend on input order.
        shares = [
            {"member_id": m, "weight": member_weights[m], "amount": amounts[m]}
            for m in sorted(amounts, key=str)
        ]
        self._allocate(shares=shares, total_weight=exact_sum(member_weights.values()),
                       carried_forward=not amounts, by=by)

    @event("Allocated")
    def _allocate(self, *, shares: list[dict[str, Any]], total_weight: Decimal,
                  carried_forward: bool, by: UUID) -> None:
        self.shares = [dict(s) for s in shares]
        self.total_weight = total_weight
        self.carried_forward = carried_forward
        self.is_allocated = True
