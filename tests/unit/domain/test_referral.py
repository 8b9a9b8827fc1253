"""Referrals: a state machine moved only by the member who received the referral."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from itertools import product
from uuid import UUID, uuid4

import pytest

from domain import clock
from domain.errors import (
    NotAllowed,
    InvalidMoney,
    InvalidText,
    InvalidWarmth,
    NotTheReceiver,
    ReferralTransitionRefused,
    SameReferrerAndReceiver,
)
from domain.referral import ACCEPTED, CLOSED, DECLINED, LOST, MADE, Referral
from domain.values import Money
from tests.unit.domain.test_member import event_names

ANA, BEN, CAT = uuid4(), uuid4(), uuid4()  # Ana refers a prospect to Ben; Cat is a bystander

# Each move a referral may be asked to make, done by ``by``.
MOVES: dict[str, Callable[[Referral, UUID], None]] = {
    "accept": lambda r, by: r.accept(by=by),
    "decline": lambda r, by: r.decline(reason="too busy", by=by),
    "close": lambda r, by: r.close_business(value="1200.50", currency="EUR", by=by),
    "lose": lambda r, by: r.mark_lost(reason="went elsewhere", by=by),
    "thank": lambda r, by: r.thank(message="thank you!", by=by),
}

# How to reach each state from a new referral.
PATHS: dict[str, list[str]] = {
    "made": [],
    "accepted": ["accept"],
    "declined": ["decline"],
    "business_closed": ["accept", "close"],
    "lost": ["accept", "lose"],
    "thanked after closing": ["accept", "close", "thank"],
    "thanked after losing": ["accept", "lose", "thank"],
}

# The only allowed moves, and the status each leads to.
ALLOWED: dict[tuple[str, str], str] = {
    ("made", "accept"): ACCEPTED,
    ("made", "decline"): DECLINED,
    ("accepted", "close"): CLOSED,
    ("accepted", "lose"): LOST,
    ("business_closed", "thank"): CLOSED,
    ("lost", "thank"): LOST,
}
TARGET = {"accept": ACCEPTED, "decline": DECLINED, "close": CLOSED, "lose": LOST}
REFUSED = [pair for pair in product(PATHS, MOVES) if pair not in ALLOWED]


def referral() -> Referral:
    return Referral.make(referrer=ANA, receiver=BEN, prospect="Dana's cafe",
                         need="A new website", warmth=4, by=ANA)


def referral_in(state: str) -> Referral:
    r = referral()
    for move in PATHS[state]:
        MOVES[move](r, BEN)
    return r


def test_a_referral_is_made_to_another_member() -> None:
    r = referral()
    assert (r.referrer, r.receiver, r.status, r.warmth, r.thanked) == (ANA, BEN, MADE, 4, False)
    with pytest.raises(SameReferrerAndReceiver, match="a referral goes to another member"):
        Referral.make(referrer=ANA, receiver=ANA, prospect="x", need="y", warmth=3, by=ANA)


def test_a_referral_names_a_prospect_and_their_need_and_its_warmth() -> None:
    with pytest.raises(InvalidText, match="prospect is required"):
        Referral.make(referrer=ANA, receiver=BEN, prospect=" ", need="y", warmth=3, by=ANA)
    with pytest.raises(InvalidText, match="what they need is required"):
        Referral.make(referrer=ANA, receiver=BEN, prospect="x", need="", warmth=3, by=ANA)
    with pytest.raises(InvalidWarmth, match="warmth must be from 1 to 5, not 6"):
        Referral.make(referrer=ANA, receiver=BEN, prospect="x", need="y", warmth=6, by=ANA)


@pytest.mark.parametrize(("state", "move"), list(ALLOWED), ids=[f"{s}-{m}" for s, m in ALLOWED])
def test_allowed_moves(state: str, move: str) -> None:
    r = referral_in(state)
    MOVES[move](r, BEN)
    assert r.status == ALLOWED[(state, move)]
    assert r.thanked == (move == "thank")


def refusal(state: str, move: str, status: str) -> str:
    """Return the message a refused move must give."""
    if move == "thank":
        if state.startswith("thanked"):
            return "this referral has already been thanked"
        return "a referral is thanked once its business is closed or lost"
    return (f"a referral that is {status.replace('_', ' ')} "
            f"cannot become {TARGET[move].replace('_', ' ')}")


@pytest.mark.parametrize(("state", "move"), REFUSED, ids=[f"{s}-{m}" for s, m in REFUSED])
def test_every_other_move_is_refused(state: str, move: str) -> None:
    r = referral_in(state)
    status, version = r.status, r.version
    with pytest.raises(ReferralTransitionRefused, match=re.escape(refusal(state, move, status))):
        MOVES[move](r, BEN)
    assert (r.status, r.version) == (status, version)


def test_the_matrix_covers_every_state_and_move() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(PATHS) * len(MOVES)


@pytest.mark.parametrize("who", [ANA, CAT], ids=["referrer", "someone else"])
@pytest.mark.parametrize(("state", "move"), list(ALLOWED), ids=[f"{s}-{m}" for s, m in ALLOWED])
def test_only_the_receiver_moves_a_referral(state: str, move: str, who: UUID) -> None:
    r = referral_in(state)
    version = r.version
    with pytest.raises(NotTheReceiver, match="only the member who received the referral"):
        MOVES[move](r, who)
    assert r.version == version


def test_closed_business_records_its_value_as_exact_money() -> None:
    r = referral_in("accepted")
    r.close_business(value="1200.5", currency="eur", by=BEN)
    assert r.value == Money(Decimal("1200.50"), "EUR")
    assert str(r.value.amount) == "1200.50"


@pytest.mark.parametrize(("value", "currency", "message"), [
    ("100", "XXX", "'XXX' is not a currency code we know"),
    ("100", "", "is not a currency code we know"),
    ("100.001", "EUR", "EUR takes at most 2 decimal places"),
    ("100.5", "JPY", "JPY takes at most 0 decimal places"),
    ("0", "EUR", "the value must be more than 0"),
    ("-10", "EUR", "the value must be more than 0"),
    (100.5, "EUR", "not a float"),
])
def test_bad_closed_business_is_refused(value: object, currency: str, message: str) -> None:
    r = referral_in("accepted")
    with pytest.raises(InvalidMoney, match=message):
        r.close_business(value=value, currency=currency, by=BEN)
    assert (r.status, r.value, r.version) == (ACCEPTED, None, 2)


def test_every_event_carries_by_and_the_clock_time() -> None:
    moment = datetime(2024, 10, 1, 17, 45, tzinfo=timezone.utc)
    with clock.frozen_at(moment):
        closed, lost, declined = referral_in("thanked after closing"), referral_in("lost"), \
            referral_in("declined")
    events = closed.collect_events() + lost.collect_events() + declined.collect_events()
    assert {type(e).__name__ for e in events} == event_names(Referral)
    assert all(e.by == (ANA if type(e).__name__ == "Made" else BEN) for e in events)
    assert all(e.timestamp == moment for e in events)


def test_only_the_referrer_makes_a_referral() -> None:
    referrer, receiver, someone_else = uuid4(), uuid4(), uuid4()
    with pytest.raises(NotAllowed, match="only the referrer makes a referral"):
        Referral.make(referrer=referrer, receiver=receiver, prospect="Acme", need="a website",
                      warmth=3, by=someone_else)
