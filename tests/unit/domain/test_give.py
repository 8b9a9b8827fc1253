"""Gives: recorded by the giver, settled by the receiver, corrected only by reversal."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from domain import clock
from domain.errors import (
    GiveAlreadyReversed,
    GiveAlreadySettled,
    InvalidHours,
    InvalidText,
    NotTheGiver,
    NotTheReceiver,
    SameGiverAndReceiver,
)
from domain.give import CONFIRMED, DISPUTED, PENDING, REVERSED, Give
from tests.unit.domain.test_member import event_names

ANA, BEN, CAT, STEWARD = uuid4(), uuid4(), uuid4(), uuid4()


def give(hours: object = "2.5", **overrides) -> Give:
    """Return a pending give of ``hours`` from Ana to Ben."""
    fields = {"giver": ANA, "receiver": BEN, "hours": hours, "description": "Fixed the oven",
              "by": ANA} | overrides
    return Give.record(**fields)


def confirmed() -> Give:
    g = give()
    g.confirm(by=BEN)
    return g


def test_a_give_is_recorded_pending_with_exact_hours() -> None:
    g = give(" 2.5 ")
    assert (g.giver, g.receiver, g.status) == (ANA, BEN, PENDING)
    assert g.hours == Decimal("2.50")
    assert isinstance(g.hours, Decimal)
    assert g.description == "Fixed the oven"


def test_only_the_giver_records_a_give() -> None:
    with pytest.raises(NotTheGiver, match="only the giver records a give"):
        give(by=BEN)


def test_giver_and_receiver_differ() -> None:
    with pytest.raises(SameGiverAndReceiver, match="a giver and a receiver who differ"):
        give(receiver=ANA)


@pytest.mark.parametrize(("hours", "message"), [
    ("0", "more than 0"),
    ("-2", "more than 0"),
    ("200.01", "at most 200"),
    ("1.005", "at most 2 decimal places"),
    (2.5, "not a float"),
    ("two", "must be a number"),
])
def test_hours_must_be_sane(hours: object, message: str) -> None:
    with pytest.raises(InvalidHours, match=message):
        give(hours)


def test_the_upper_bound_is_two_hundred_hours() -> None:
    assert give("200").hours == Decimal("200.00")


@pytest.mark.parametrize("description", ["", "   ", None])
def test_a_give_needs_a_description(description: object) -> None:
    with pytest.raises(InvalidText, match="description is required"):
        give(description=description)


@pytest.mark.parametrize("who", [ANA, CAT], ids=["giver", "someone else"])
@pytest.mark.parametrize("command", [
    lambda g, by: g.confirm(by=by),
    lambda g, by: g.dispute(reason="not me", by=by),
], ids=["confirm", "dispute"])
def test_only_the_receiver_confirms_or_disputes(command, who) -> None:
    g = give()
    with pytest.raises(NotTheReceiver, match="only the receiver of a give confirms or disputes it"):
        command(g, who)
    assert g.status == PENDING
    assert g.version == 1


def test_a_confirmed_give_cannot_be_confirmed_again() -> None:
    g = confirmed()
    with pytest.raises(GiveAlreadySettled, match="already confirmed; a confirmed give can only be reversed"):
        g.confirm(by=BEN)
    assert g.version == 2


def test_a_confirmed_give_cannot_be_disputed() -> None:
    g = confirmed()
    with pytest.raises(GiveAlreadySettled, match="a confirmed give can only be reversed"):
        g.dispute(reason="changed my mind", by=BEN)
    assert g.status == CONFIRMED


def test_a_confirmed_give_is_corrected_by_a_reversal_with_a_reason() -> None:
    g = confirmed()
    with pytest.raises(InvalidText, match="reason for the reversal is required"):
        g.reverse(reason=" ", by=STEWARD)
    assert g.status == CONFIRMED
    g.reverse(reason="Recorded twice", by=STEWARD)
    assert (g.status, g.reversal_reason) == (REVERSED, "Recorded twice")
    # The reversal says what it cancelled, so a ledger can net it out.
    assert g.collect_events()[-1].was == CONFIRMED


@pytest.mark.parametrize(("command", "message"), [
    (lambda g: g.reverse(reason="again", by=STEWARD), "already been reversed"),
    (lambda g: g.confirm(by=BEN), "this give has been reversed"),
    (lambda g: g.dispute(reason="x", by=BEN), "this give has been reversed"),
], ids=["reverse", "confirm", "dispute"])
def test_a_reversed_give_stays_reversed(command, message: str) -> None:
    g = confirmed()
    g.reverse(reason="Recorded twice", by=STEWARD)
    with pytest.raises(GiveAlreadyReversed, match=message):
        command(g)
    assert g.status == REVERSED
    assert g.version == 3


def test_a_dispute_needs_a_reason_and_happens_once() -> None:
    g = give()
    with pytest.raises(InvalidText, match="reason is required"):
        g.dispute(reason="", by=BEN)
    g.dispute(reason="It was one hour", by=BEN)
    assert (g.status, g.dispute_reason) == (DISPUTED, "It was one hour")
    with pytest.raises(GiveAlreadySettled, match="this give is already disputed"):
        g.dispute(reason="Still one hour", by=BEN)


def test_a_disputed_give_may_be_confirmed_once_agreed() -> None:
    g = give()
    g.dispute(reason="It was one hour", by=BEN)
    g.confirm(by=BEN)
    assert g.status == CONFIRMED


def test_a_pending_give_may_be_reversed() -> None:
    g = give()
    g.reverse(reason="Entered by mistake", by=STEWARD)
    assert g.collect_events()[-1].was == PENDING


def test_every_event_carries_by_and_the_clock_time() -> None:
    moment = datetime(2024, 7, 14, 8, 0, tzinfo=timezone.utc)
    with clock.frozen_at(moment):
        g = give()
        g.dispute(reason="It was one hour", by=BEN)
        g.confirm(by=BEN)
        g.reverse(reason="Recorded twice", by=STEWARD)
    events = g.collect_events()
    assert {type(e).__name__ for e in events} == event_names(Give)
    assert [e.by for e in events] == [ANA, BEN, BEN, STEWARD]
    assert all(e.timestamp == moment for e in events)
