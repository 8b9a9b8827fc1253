"""A circle's contribution rule: the versioned weights behind contribution weights."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import NotFound
from domain.fairshare import DEFAULT_WEIGHTS, ContributionWeights

# Fixed forever: changing it would lose every circle's rule.
RULE_NAMESPACE = UUID("0b6f2a58-8d1e-5c3a-9f47-3e2d7c1a9b60")

# The documented default rule, in force until a steward sets one.
DEFAULT_VERSION = 0


def rule_id_for(circle_id: UUID) -> UUID:
    """Return the id of a circle's rule: one circle, one rule, found without an index."""
    return uuid5(RULE_NAMESPACE, str(circle_id))


class ContributionRule(CoopAggregate):
    """The weights a circle counts activity by, every version kept.

    Version 0 is the default rule; each ``Set`` event records the next version, so a
    result computed under an old version can always be computed again.
    """

    @classmethod
    def start(cls, *, circle_id: UUID, by: UUID) -> ContributionRule:
        """Return a circle's rule, still on the default until ``set`` is called."""
        return cls._create(cls.Started, id=rule_id_for(circle_id), circle_id=circle_id, by=by)

    class Started(CoopAggregate.Created):
        circle_id: UUID
        by: UUID

    @event(Started)
    def __init__(self, *, circle_id: UUID, by: UUID):
        self.circle_id = circle_id
        self.versions: list[ContributionWeights] = []

    @property
    def current_version(self) -> int:
        return len(self.versions)

    @property
    def weights(self) -> ContributionWeights:
        """Return the weights in force."""
        return self.weights_at(self.current_version)

    def weights_at(self, version: int) -> ContributionWeights:
        """Return the weights of ``version`` (0 is the default rule)."""
        if version == DEFAULT_VERSION:
            return DEFAULT_WEIGHTS
        if not 1 <= version <= len(self.versions):
            raise NotFound(f"this circle's rule has no version {version}")
        return self.versions[version - 1]

    def set(self, *, give_hour: object, referral_passed: object, per_1000_closed: object,
            by: UUID) -> int:
        """Record new weights as the next version and return its number."""
        weights = ContributionWeights.parse(give_hour, referral_passed, per_1000_closed)
        self._set(rule_version=self.current_version + 1, give_hour=weights.give_hour,
                  referral_passed=weights.referral_passed,
                  per_1000_closed=weights.per_1000_closed, by=by)
        return self.current_version

    @event("Set")
    def _set(self, *, rule_version: int, give_hour: Decimal, referral_passed: Decimal,
             per_1000_closed: Decimal, by: UUID) -> None:
        self.versions = [*self.versions, ContributionWeights(
            give_hour=give_hour, referral_passed=referral_passed,
            per_1000_closed=per_1000_closed,
        )]
