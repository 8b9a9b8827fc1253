"""Fair-share arithmetic: pure functions over Decimals, no I/O.

The ledger projection supplies each member's :class:`Activity` for a circle and
period; the functions here turn activity into contribution weights and a surplus
pool into shares. docs/fair-share.md states every rule with a worked example.

No float ever enters: figures are Decimals, and the allocation itself is done in
whole minor units (integers), so nothing depends on a Decimal context's precision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from math import ceil
from uuid import UUID

from domain.errors import InvalidMoney, InvalidValue

# Indices and concentration figures are shown to 4 places, rounded half-even so
# that a long run of figures carries no upward bias.
FOUR_PLACES = Decimal("0.0001")
# Wide enough that sums and quotients of any sane ledger are exact before the
# final quantize (money is capped at 1e9 with at most 3 places).
_PRECISION = 60


@dataclass(frozen=True)
class Activity:
    """What one member did in a circle (or the whole network) during a period.

    Only confirmed gives count; reversals are already netted out.
    """

    member_id: UUID
    give_hours: Decimal = Decimal("0")  # hours given (confirmed, net of reversals)
    referrals_passed: int = 0  # referrals this member made
    # Closed business that came from this member's own referrals, per currency.
    closed_business: dict[str, Decimal] = field(default_factory=dict)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)


def _check_not_negative(values: Sequence[Decimal], what: str) -> None:
    for value in values:
        if value < 0:
            # A negative total means the caller mixed up its figures: refuse loudly.
            raise ValueError(f"{what} takes totals of 0 or more, not {value}")


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Return the sum of ``values`` without rounding (any sane ledger fits)."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return sum(values, Decimal(0))


def reciprocity_index(given: Decimal, received: Decimal) -> Decimal | None:
    """Return (G - R) / (G + R) to 4 places, or None (inactive) when G + R = 0.

    The index runs from -1 (only received) through 0 (balanced) to 1 (only gave).
    None is not 0: a member who neither gave nor received is inactive, not balanced.
    """
    _check_not_negative([given, received], "the reciprocity index")
    total = given + received
    if total == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return _quantize((given - received) / total)


def gini(values: Sequence[Decimal]) -> Decimal | None:
    """Return the Gini coefficient of ``values`` to 4 places, None if it means nothing.

    G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) = sum_i sum_j |x_i - x_j| / (2 n S),
    over every value given, zeros included (a member who gave nothing counts).
    0 is perfect equality; (n - 1) / n is one member holding everything.
    None when there are fewer than 2 values or they sum to 0.
    """
    _check_not_negative(values, "the Gini coefficient")
    n = len(values)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        total = sum(values, Decimal(0))
        if n < 2 or total == 0:
            return None
        # With x sorted ascending (i from 1), sum_i sum_j |x_i - x_j| equals
        # 2 * sum_i (2i - n - 1) x_i: the same figure in n log n instead of n^2.
        ordered = sorted(values)
        weighted = sum(((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1)), Decimal(0))
        return _quantize(weighted / (n * total))


def top_share(values: Sequence[Decimal], fraction: Decimal = Decimal("0.1")) -> Decimal | None:
    """Return the share of the total held by the top ceil(n * fraction) values (at least 1).

    To 4 places; None as for :func:`gini` (fewer than 2 values, or a zero total).
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"the fraction must be above 0 and at most 1, not {fraction}")
    _check_not_negative(values, "the top share")
    n = len(values)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        total = sum(values, Decimal(0))
        if n < 2 or total == 0:
            return None
        top = max(1, ceil(n * fraction))
        return _quantize(sum(sorted(values, reverse=True)[:top], Decimal(0)) / total)


@dataclass(frozen=True)
class ContributionWeights:
    """How much each kind of activity counts towards a member's contribution weight."""

    give_hour: Decimal
    referral_passed: Decimal
    per_1000_closed: Decimal  # per 1000 of closed business, in the pool's currency

    @classmethod
    def parse(cls, give_hour: object, referral_passed: object,
              per_1000_closed: object) -> ContributionWeights:
        """Return weights from text or Decimals, refusing negatives and all-zero."""
        weights = cls(
            give_hour=_weight(give_hour, "the weight per give-hour"),
            referral_passed=_weight(referral_passed, "the weight per referral passed"),
            per_1000_closed=_weight(per_1000_closed, "the weight per 1000 of closed business"),
        )
        if not any(weights.as_tuple()):
            raise InvalidValue("at least one weight must be more than 0, or no one ever counts")
        return weights

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.give_hour, self.referral_passed, self.per_1000_closed)


# The rule in force until a steward sets one (version 0): see docs/fair-share.md.
DEFAULT_WEIGHTS = ContributionWeights(
    give_hour=Decimal("1"), referral_passed=Decimal("2"), per_1000_closed=Decimal("1"),
)

_MAX_WEIGHT = Decimal("1000000")


def _weight(value: object, what: str) -> Decimal:
    if isinstance(value, float):
        raise InvalidValue(f"{what} must be given as text or a Decimal, not a float")
    try:
        weight = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidValue(f"{what} must be a number, not '{value}'") from None
    if not weight.is_finite():
        raise InvalidValue(f"{what} must be a finite number")
    if weight < 0:
        raise InvalidValue(f"{what} cannot be negative")
    if weight > _MAX_WEIGHT:
        raise InvalidValue(f"{what} must be at most {_MAX_WEIGHT}")
    if weight.as_tuple().exponent < -4:  # type: ignore[operator]
        raise InvalidValue(f"{what} takes at most 4 decimal places")
    return weight + 0  # drops a "-0"


def contribution_weight(activity: Activity, weights: ContributionWeights,
                        currency: str) -> Decimal:
    """Return w = hours x give_hour + referrals x referral_passed
    + (closed business in ``currency``) / 1000 x per_1000_closed, exactly.

    Business closed in other currencies does not count: converting it would need
    an exchange rate, and a rate is a judgement the rule does not record. A net
    figure below 0 (a reversal, in this period, of a give from an earlier one)
    counts as 0: it cannot take away from what the others receive.
    """
    hours = max(activity.give_hours, Decimal(0))
    closed = max(activity.closed_business.get(currency, Decimal(0)), Decimal(0))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        weight = (hours * weights.give_hour
                  + activity.referrals_passed * weights.referral_passed
                  + closed.scaleb(-3) * weights.per_1000_closed)
    # Same value, without the trailing zeros the products pile up (3.000 reads as 3).
    return weight.quantize(Decimal(1)) if weight == weight.to_integral_value() else weight.normalize()


def allocate(pool: Decimal, weights: Mapping[UUID, Decimal],
             minor_unit: int) -> dict[UUID, Decimal]:
    """Return each member's share of ``pool``: pool x w / W by the largest remainder.

    Each share is first pool x w / W rounded down to the minor unit; the minor
    units left over go one each to the largest remainders, ties to the larger
    weight, then to the smaller member id (as a UUID string). The shares sum
    exactly to the pool and every member of ``weights`` gets one (0 for weight 0).

    When W = 0 nothing can be shared: the result is an empty dict, meaning the
    pool is carried forward.
    """
    if not pool.is_finite() or pool < 0:
        raise InvalidMoney(f"a pool must be 0 or more, not {pool}")
    scaled_pool = pool.scaleb(minor_unit)
    if scaled_pool != scaled_pool.to_integral_value():
        raise InvalidMoney(f"a pool in this currency takes at most {minor_unit} decimal places")
    for member_id, weight in weights.items():
        if not weight.is_finite() or weight < 0:
            raise ValueError(f"the weight of {member_id} must be 0 or more, not {weight}")
    if not any(w > 0 for w in weights.values()):
        return {}
    units = int(scaled_pool)
    # Scale the weights to whole numbers so every product and remainder is exact.
    places = max(-min(w.as_tuple().exponent for w in weights.values()), 0)  # type: ignore[type-var,operator]
    whole = {m: int(w.scaleb(places)) for m, w in weights.items()}
    total = sum(whole.values())
    floors = {m: units * w // total for m, w in whole.items()}
    remainders = {m: units * w - floors[m] * total for m, w in whole.items()}
    left = units - sum(floors.values())
    order = sorted(whole, key=lambda m: (-remainders[m], -whole[m], str(m)))
    for member_id in order[:left]:
        floors[member_id] += 1
    quantum = Decimal(1).scaleb(-minor_unit)
    return {m: Decimal(floors[m]).scaleb(-minor_unit).quantize(quantum) for m in weights}
