"""Referrals in the demo year: business passed on, and what came of it.

Fates are dealt from a deck so every state turns up in every stretch of the year:
closed (with a EUR value) and thanked or not yet, lost and thanked or not,
declined, accepted and still in progress, and not yet answered.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from coop.demo.catalogue import (
    DECLINE_REASONS,
    LOST_REASONS,
    REFERRAL_NOTES,
    THANKS_CLOSED,
    THANKS_LOST,
    TRADES,
)
from coop.demo.people import PROSPECTS, Person
from coop.demo.stage import Deck, Stage

FATES = {"closed and thanked": 6, "closed": 3, "lost and thanked": 2, "lost": 2,
         "declined": 3, "accepted": 2, "unanswered": 2}
WARMTH = {1: 1, 2: 2, 3: 4, 4: 5, 5: 3}


def plan(stage: Stage) -> None:
    stage.decks["referral"] = Deck(stage.rng, FATES)


def refer(stage: Stage) -> None:
    """A member passes a prospect to another member whose trade fits the need."""
    referrer = stage.pick(stage.joined)
    receiver = stage.pick(stage.joined, but=(referrer,) if referrer else ())
    if referrer is None or receiver is None:
        return
    need = stage.choice(TRADES[receiver.trade].needs)
    shared = stage.shared_circles(referrer, receiver)
    circle = stage.choice(shared) if shared and stage.rng.random() < 0.3 else None
    referral_id = stage.net.referrals.make(
        receiver_id=stage.id(receiver), prospect=stage.choice(PROSPECTS),
        need=f"Looking for {need}. {stage.choice(REFERRAL_NOTES)}",
        warmth=stage.rng.choices(list(WARMTH), weights=list(WARMTH.values()))[0],
        circle_id=stage.circle_id(circle), by=stage.id(referrer))
    stage.record.referrals.append(referral_id)
    fate = stage.decks["referral"].draw()
    if fate == "declined":
        stage.after(0, 5, decline, referral_id, receiver)
    elif fate != "unanswered":
        stage.after(0, 5, accept, referral_id, receiver, fate)


def decline(stage: Stage, referral_id: UUID, receiver: Person) -> None:
    stage.net.referrals.decline(referral_id, reason=stage.choice(DECLINE_REASONS),
                                by=stage.id(receiver))


def accept(stage: Stage, referral_id: UUID, receiver: Person, fate: str) -> None:
    stage.net.referrals.accept(referral_id, by=stage.id(receiver))
    if fate.startswith("closed"):
        stage.after(7, 50, close, referral_id, receiver, fate)
    elif fate.startswith("lost"):
        stage.after(7, 50, lose, referral_id, receiver, fate)


def close(stage: Stage, referral_id: UUID, receiver: Person, fate: str) -> None:
    low, high = TRADES[receiver.trade].deal
    if stage.rng.random() < 0.7:  # most quotes are round figures; some invoices are not
        value = Decimal(stage.rng.randrange(low // 10, high // 10 + 1) * 10)
    else:
        value = Decimal(stage.rng.randrange(low * 100, high * 100 + 1)) / 100
    stage.net.referrals.close_business(referral_id, value=value, currency="EUR",
                                       by=stage.id(receiver))
    if fate.endswith("thanked"):
        stage.after(0, 6, thank, referral_id, receiver, THANKS_CLOSED)


def lose(stage: Stage, referral_id: UUID, receiver: Person, fate: str) -> None:
    stage.net.referrals.mark_lost(referral_id, reason=stage.choice(LOST_REASONS),
                                  by=stage.id(receiver))
    if fate.endswith("thanked"):
        stage.after(0, 6, thank, referral_id, receiver, THANKS_LOST)


def thank(stage: Stage, referral_id: UUID, receiver: Person, messages: tuple[str, ...]) -> None:
    stage.net.referrals.thank(referral_id, message=stage.choice(messages),
                              by=stage.id(receiver))
