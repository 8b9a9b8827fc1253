"""Contribution rules and surplus distributions: setting weights, sharing a pool."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import OPERATOR, Authority
from domain.contribution import DEFAULT_VERSION, ContributionRule, rule_id_for
from domain.distribution import Distribution, check_period
from domain.errors import InvalidPeriod
from domain.fairshare import DEFAULT_WEIGHTS, Activity, ContributionWeights, contribution_weight


class ActivitySource(Protocol):
    """Where a circle's activity in a period comes from (the ledger read model)."""

    def activity(self, circle_id: UUID, period_start: date,
                 period_end: date) -> Sequence[Activity]: ...


class FairShare:
    def __init__(self, app: CoopApplication, authority: Authority,
                 activity_source: ActivitySource) -> None:
        self.app, self.authority, self.activity_source = app, authority, activity_source

    # The contribution rule

    def set_rule(self, circle_id: UUID | str, *, give_hour: object, referral_passed: object,
                 per_1000_closed: object, by: UUID = OPERATOR) -> int:
        """Set a circle's contribution weights as a new version; a steward's act."""
        self.authority.check_steward(by, "set a circle's contribution rule")
        circle = self.authority.circle(circle_id)
        rule = self._rule(circle.id) or ContributionRule.start(circle_id=circle.id, by=by)
        version = rule.set(give_hour=give_hour, referral_passed=referral_passed,
                           per_1000_closed=per_1000_closed, by=by)
        # No retry after a lost race: the other steward's weights may differ from these.
        self.app.save(rule)
        return version

    def rule(self, circle_id: UUID | str) -> dict[str, Any]:
        """Return the rule in force for a circle and every earlier version."""
        circle = self.authority.circle(circle_id)
        rule = self._rule(circle.id)
        versions = [DEFAULT_WEIGHTS, *(rule.versions if rule else [])]
        return {
            "circle_id": circle.id,
            "version": len(versions) - 1,
            "is_default": len(versions) == 1,
            "weights": _weights(versions[-1]),
            "history": [{"version": v, "weights": _weights(w)} for v, w in enumerate(versions)],
        }

    def _rule(self, circle_id: UUID) -> ContributionRule | None:
        rule_id = rule_id_for(circle_id)
        if not self.app.exists(rule_id):
            return None
        return self.app.load(ContributionRule, rule_id, "contribution rule")

    # Distributions

    def distribute(self, circle_id: UUID | str, *, period_start: object, period_end: object,
                   pool: object, currency: object, by: UUID = OPERATOR) -> UUID:
        """Declare a pool for a circle and period and share it out; a steward's act.

        Declared and Allocated are saved together, so no distribution is ever left
        declared but unallocated.
        """
        self.authority.check_steward(by, "distribute a surplus")
        circle = self.authority.circle(circle_id)
        start, end = check_period(parse_date(period_start), parse_date(period_end))
        rule = self._rule(circle.id)
        version = rule.current_version if rule else DEFAULT_VERSION
        weights = rule.weights if rule else DEFAULT_WEIGHTS
        distribution = Distribution.declare(
            circle_id=circle.id, pool=pool, currency=currency, period_start=start,
            period_end=end, rule_version=version, weights=weights, by=by,
        )
        distribution.allocate(member_weights=self._member_weights(distribution), by=by)
        self.app.save(distribution)
        return distribution.id

    def get(self, distribution_id: UUID | str) -> dict[str, Any]:
        """Return a distribution with its shares, largest share first."""
        d = self.app.load(Distribution, distribution_id, "distribution")
        shares = sorted(d.shares, key=lambda s: (-s["amount"], -s["weight"], str(s["member_id"])))
        return {
            "id": d.id, "circle_id": d.circle_id,
            "pool": d.pool.amount, "currency": d.pool.currency,
            "period_start": d.period_start, "period_end": d.period_end,
            "rule_version": d.rule_version, "weights": _weights(d.weights),
            "shares": [dict(s) for s in shares],
            "total_weight": d.total_weight,
            "allocated": sum((s["amount"] for s in shares), Decimal(0)),
            "carried_forward": d.carried_forward,
            "declared_by": d.declared_by, "declared_at": d.created_on,
        }

    def recompute(self, distribution_id: UUID | str) -> bool:
        """Say whether the activity under the recorded rule still gives the recorded
        weights, and those weights still give the recorded shares."""
        d = self.app.load(Distribution, distribution_id, "distribution")
        recorded_weights = {s["member_id"]: s["weight"] for s in d.shares}
        recorded_amounts = {s["member_id"]: s["amount"] for s in d.shares}
        weights = self._member_weights(d)
        if d.carried_forward:
            return not any(w > 0 for w in weights.values()) and not d.shares
        return weights == recorded_weights and d.share_out(recorded_weights) == recorded_amounts

    def _member_weights(self, d: Distribution) -> dict[UUID, Decimal]:
        weights: dict[UUID, Decimal] = {}
        for activity in self.activity_source.activity(d.circle_id, d.period_start, d.period_end):
            if activity.member_id in weights:
                raise ValueError(f"the activity source reported {activity.member_id} twice")
            weights[activity.member_id] = contribution_weight(
                activity, d.weights, d.pool.currency)
        return weights


def parse_date(value: object) -> date:
    """Return a date from a date or an ISO text (YYYY-MM-DD)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidPeriod(f"'{value}' is not a date (YYYY-MM-DD)") from None


def _weights(weights: ContributionWeights) -> dict[str, Decimal]:
    return {"give_hour": weights.give_hour, "referral_passed": weights.referral_passed,
            "per_1000_closed": weights.per_1000_closed}

