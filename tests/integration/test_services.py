"""The services end to end through the one application, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import event

from coop.application import SNAPSHOT_EVERY
from coop.bootstrap import Network, build
from domain import clock
from domain.base import CoopAggregate
from domain.circle import Circle
from domain.errors import (
    AlreadyInCircle,
    AskAlreadyFulfilled,
    CoopError,
    GiveAlreadySettled,
    InvalidValue,
    MemberAlreadyJoined,
    MemberHasLeft,
    NotACircleMember,
    NotASteward,
    NotFound,
    NotInParentCircle,
    NotTheAuthor,
    NotTheReceiver,
    ReferralTransitionRefused,
    StateConflict,
)
from domain.member import Member
from domain.values import Money


@dataclass
class Cast:
    """The network's people: a steward and three members."""

    net: Network
    sam: UUID  # steward
    ana: UUID
    ben: UUID
    cat: UUID


@pytest.fixture
def cast(network: Network) -> Cast:
    add = network.members.add
    return Cast(network,
                sam=add(email="sam@coop.test", name="Sam", steward=True),
                ana=add(email="ana@coop.test", name="Ana", business="Lima Bakery"),
                ben=add(email="ben@coop.test", name="Ben"),
                cat=add(email="cat@coop.test", name="Cat"))


def refused(net: Network, error: type[CoopError], match: str, command: Callable[[], object]) -> None:
    """Assert ``command`` is refused with ``error`` and writes nothing to the log."""
    before = net.app.last_position()
    with pytest.raises(error, match=match):
        command()
    assert net.app.last_position() == before


def recorded_give(c: Cast, **kwargs) -> UUID:
    """Return the id of a pending give of 2 hours from Ana to Ben."""
    fields = {"receiver_id": c.ben, "hours": "2", "description": "Fixed the oven", "by": c.ana}
    return c.net.gives.record(**(fields | kwargs))


def topics_since(net: Network, position: int) -> list[str]:
    notifications = net.app.recorder.select_notifications(start=position + 1, limit=100)
    return [n.topic for n in notifications]


# Members and circles


def test_one_email_is_one_member(cast: Cast) -> None:
    net = cast.net
    assert net.members.id_for_email("  ANA@coop.test") == cast.ana
    refused(net, MemberAlreadyJoined, "ana@coop.test is already a member",
            lambda: net.members.add(email="Ana@Coop.Test ", name="Ana again"))
    ana = net.members.get(cast.ana)
    assert (ana["email"], ana["name"], ana["business"], ana["roles"]) == \
        ("ana@coop.test", "Ana", "Lima Bakery", [])
    assert net.members.get(cast.sam)["roles"] == ["steward"]


def test_a_steward_member_administers_and_others_may_not(cast: Cast,
                                                         subtests: pytest.Subtests) -> None:
    net = cast.net
    # Sam is a steward member, not only the operator: Sam may add and promote.
    dee = net.members.add(email="dee@coop.test", name="Dee", by=cast.sam)
    net.members.grant_steward(dee, by=cast.sam)
    assert net.members.get(dee)["roles"] == ["steward"]
    circle = net.circles.form(name="Riverside", by=cast.sam)
    for n, (command, doing) in enumerate([
        (lambda: net.members.add(email="eve@coop.test", name="Eve", by=cast.ana), "add members"),
        (lambda: net.members.grant_steward(cast.ben, by=cast.ana), "make stewards"),
        (lambda: net.members.revoke_steward(dee, by=cast.ana), "revoke stewards"),
        (lambda: net.circles.form(name="Ana's circle", by=cast.ana), "form circles"),
        (lambda: net.circles.admit(circle, cast.ana, by=cast.ana), "admit members to circles"),
        (lambda: net.members.leave(cast.ben, by=cast.ana), "record that another member left"),
    ]):
        with subtests.test(msg=f"{n}: {doing}"):
            refused(net, NotASteward, f"only a steward may {doing}", command)


def test_circles_nest_and_admission_follows_the_parent(cast: Cast) -> None:
    net = cast.net
    riverside = net.circles.form(name="Riverside", purpose="Local chapter")
    bakers = net.circles.form(name="Bakers", parent_id=str(riverside))
    assert net.circles.get(bakers)["parent_id"] == riverside
    refused(net, NotInParentCircle, "first be a member of 'Riverside'",
            lambda: net.circles.admit(bakers, cast.ana))
    net.circles.admit(riverside, cast.ana)
    net.circles.admit(bakers, str(cast.ana))
    refused(net, AlreadyInCircle, "already a member of 'Bakers'",
            lambda: net.circles.admit(bakers, cast.ana))
    assert net.circles.get(bakers)["members"] == [cast.ana]


def test_acting_in_a_circle_needs_membership_of_both_members(cast: Cast) -> None:
    net = cast.net
    circle = net.circles.form(name="Riverside")
    net.circles.admit(circle, cast.ana)
    only_members = "only members of the circle 'Riverside' may do that"
    refused(net, NotACircleMember, only_members,
            lambda: net.postings.post_offer(title="Bread", circle_id=circle, by=cast.ben))
    refused(net, NotACircleMember, only_members,
            lambda: recorded_give(cast, circle_id=circle))  # Ben, the receiver, is not in it
    refused(net, NotACircleMember, only_members, lambda: net.referrals.make(
        receiver_id=cast.ben, prospect="Dana", need="web", warmth=3, circle_id=circle, by=cast.ana))
    net.circles.admit(circle, cast.ben)
    give = recorded_give(cast, circle_id=circle)
    assert net.gives.get(give)["circle_id"] == circle


def test_a_member_who_has_left_cannot_act_nor_be_acted_for(cast: Cast,
                                                           subtests: pytest.Subtests) -> None:
    net = cast.net
    give = recorded_give(cast, receiver_id=cast.cat)
    net.members.leave(cast.cat, reason="moving away", by=cast.cat)
    assert net.members.get(cast.cat)["has_left"]
    circle = net.circles.form(name="Riverside")
    has_left = "Cat has left the network and can no longer act"
    for n, command in enumerate([
        lambda: net.postings.post_ask(title="Help", by=cast.cat),
        lambda: recorded_give(cast, by=cast.cat),
        lambda: recorded_give(cast, receiver_id=cast.cat),
        lambda: net.gives.confirm(give, by=cast.cat),
        lambda: net.referrals.make(receiver_id=cast.cat, prospect="Dana", need="web", warmth=3,
                                   by=cast.ana),
        lambda: net.circles.admit(circle, cast.cat),
        lambda: net.members.grant_steward(cast.cat),
    ]):
        with subtests.test(msg=f"command {n}"):
            refused(net, MemberHasLeft, has_left, command)


# Offers, asks and gives


def test_only_the_author_changes_a_posting(cast: Cast) -> None:
    net = cast.net
    offer = net.postings.post_offer(title="Bread", tags="food", by=cast.ana)
    ask = net.postings.post_ask(title="Accounts", by=cast.ana)
    refused(net, NotTheAuthor, "posted this offer", lambda: net.postings.update_offer(
        offer, title="Mine", description="", tags="", by=cast.ben))
    refused(net, NotTheAuthor, "posted this ask", lambda: net.postings.withdraw_ask(ask, by=cast.ben))
    net.postings.update_offer(offer, title="Sourdough", description="weekly", tags="", by=cast.ana)
    net.postings.withdraw_ask(ask, by=cast.ana)
    assert net.postings.get_offer(offer)["title"] == "Sourdough"
    assert net.postings.get_ask(ask)["withdrawn"]


def test_confirming_a_give_fulfils_the_ask_it_answers_in_one_save(cast: Cast) -> None:
    net = cast.net
    # Ben asks; Ana helps and records it.
    ask = net.postings.post_ask(title="Oven broken", by=cast.ben)
    give = recorded_give(cast, ask_id=ask)
    assert net.gives.get(give)["status"] == "pending"
    assert net.postings.get_ask(ask)["fulfilled_by"] is None
    # Ben confirms: the give is confirmed and the ask fulfilled, side by side in the log.
    before = net.app.last_position()
    net.gives.confirm(str(give), by=cast.ben)
    assert sorted(topics_since(net, before)) == ["domain.ask:Ask.Fulfilled",
                                                "domain.give:Give.Confirmed"]
    assert net.gives.get(give)["status"] == "confirmed"
    assert net.postings.get_ask(ask)["fulfilled_by"] == give
    # The ask stays fulfilled: no second give answers it.
    refused(net, AskAlreadyFulfilled, "stays fulfilled", lambda: recorded_give(cast, ask_id=ask))
    refused(net, GiveAlreadySettled, "already confirmed", lambda: net.gives.confirm(give, by=cast.ben))


def test_a_give_answers_only_an_ask_of_its_receiver_or_an_offer_of_its_giver(cast: Cast) -> None:
    net = cast.net
    cats_ask = net.postings.post_ask(title="Logo", by=cast.cat)
    bens_offer = net.postings.post_offer(title="Bikes", by=cast.ben)
    anas_offer = net.postings.post_offer(title="Bread", by=cast.ana)
    refused(net, InvalidValue, "goes to the member who asked",
            lambda: recorded_give(cast, ask_id=cats_ask))
    refused(net, InvalidValue, "comes from the member who offered",
            lambda: recorded_give(cast, offer_id=bens_offer))
    net.postings.withdraw_offer(anas_offer, by=cast.ana)
    refused(net, StateConflict, "offer has been withdrawn",
            lambda: recorded_give(cast, offer_id=anas_offer))


def test_the_receiver_disputes_and_confirms_once_agreed(cast: Cast) -> None:
    net = cast.net
    give = recorded_give(cast)
    refused(net, NotTheReceiver, "only the receiver", lambda: net.gives.confirm(give, by=cast.ana))
    refused(net, NotTheReceiver, "only the receiver",
            lambda: net.gives.dispute(give, reason="no", by=cast.cat))
    net.gives.dispute(give, reason="It was one hour", by=cast.ben)
    assert (net.gives.get(give)["status"], net.gives.get(give)["dispute_reason"]) == \
        ("disputed", "It was one hour")
    net.gives.confirm(give, by=cast.ben)
    assert net.gives.get(give)["status"] == "confirmed"


def test_a_steward_reverses_a_confirmed_give_and_the_ask_stays_fulfilled(cast: Cast) -> None:
    net = cast.net
    ask = net.postings.post_ask(title="Oven broken", by=cast.ben)
    give = recorded_give(cast, ask_id=ask)
    net.gives.confirm(give, by=cast.ben)
    refused(net, GiveAlreadySettled, "can only be reversed",
            lambda: net.gives.dispute(give, reason="no", by=cast.ben))
    refused(net, NotASteward, "only a steward may reverse a give",
            lambda: net.gives.reverse(give, reason="mistake", by=cast.ana))
    refused(net, InvalidValue, "reason for the reversal is required",
            lambda: net.gives.reverse(give, reason="", by=cast.sam))
    net.gives.reverse(give, reason="Recorded twice", by=cast.sam)
    assert (net.gives.get(give)["status"], net.gives.get(give)["reversal_reason"]) == \
        ("reversed", "Recorded twice")
    assert net.postings.get_ask(ask)["fulfilled_by"] == give


# Referrals


def test_a_referral_lives_from_made_to_thanked(cast: Cast) -> None:
    net = cast.net
    referral = net.referrals.make(receiver_id=cast.ben, prospect="Dana's cafe",
                                  need="A website", warmth="4", by=cast.ana)
    refused(net, NotTheReceiver, "only the member who received the referral",
            lambda: net.referrals.accept(referral, by=cast.ana))
    net.referrals.accept(referral, by=cast.ben)
    refused(net, ReferralTransitionRefused, "thanked once its business is closed or lost",
            lambda: net.referrals.thank(referral, by=cast.ben))
    refused(net, InvalidValue, "EUR takes at most 2 decimal places", lambda: net.referrals
            .close_business(referral, value="99.999", currency="EUR", by=cast.ben))
    net.referrals.close_business(referral, value="1250.5", currency="eur", by=cast.ben)
    net.referrals.thank(referral, message="Thank you, Ana!", by=cast.ben)
    refused(net, ReferralTransitionRefused, "already been thanked",
            lambda: net.referrals.thank(referral, by=cast.ben))
    r = net.referrals.get(referral)
    assert (r["status"], r["value"], r["currency"], r["thanked"], r["warmth"]) == \
        ("business_closed", Decimal("1250.50"), "EUR", True, 4)


def test_a_declined_referral_goes_no_further(cast: Cast) -> None:
    net = cast.net
    referral = net.referrals.make(receiver_id=cast.ben, prospect="Dana", need="web", warmth=2,
                                  by=cast.ana)
    net.referrals.decline(referral, reason="Too busy", by=cast.ben)
    refused(net, ReferralTransitionRefused, "declined cannot become accepted",
            lambda: net.referrals.accept(referral, by=cast.ben))


# Things that are not there


@pytest.mark.parametrize("bad_id", [uuid4(), "not-an-id", ""])
def test_a_missing_id_is_not_found(cast: Cast, bad_id: object,
                                   subtests: pytest.Subtests) -> None:
    net = cast.net
    circle = net.circles.form(name="Riverside")
    for n, (command, what) in enumerate([
        (lambda: net.members.get(bad_id), "member"),
        (lambda: net.circles.get(bad_id), "circle"),
        (lambda: net.postings.get_offer(bad_id), "offer"),
        (lambda: net.postings.get_ask(bad_id), "ask"),
        (lambda: net.gives.get(bad_id), "give"),
        (lambda: net.referrals.get(bad_id), "referral"),
        (lambda: net.gives.confirm(bad_id, by=cast.ben), "give"),
        (lambda: net.gives.reverse(bad_id, reason="x", by=cast.sam), "give"),
        (lambda: net.referrals.accept(bad_id, by=cast.ben), "referral"),
        (lambda: net.postings.withdraw_offer(bad_id, by=cast.ana), "offer"),
        (lambda: net.circles.admit(bad_id, cast.ana), "circle"),
        (lambda: net.circles.admit(circle, bad_id), "member"),
        (lambda: recorded_give(cast, receiver_id=bad_id), "member"),
    ]):
        with subtests.test(msg=f"{n}: {what}"):
            refused(net, NotFound, f"no {what} with id", command)


def test_an_id_of_the_wrong_kind_is_not_found(cast: Cast, subtests: pytest.Subtests) -> None:
    net = cast.net
    give = recorded_give(cast)
    circle = net.circles.form(name="Riverside")
    for n, (command, what) in enumerate([
        (lambda: net.gives.get(cast.ana), "give"),
        (lambda: net.gives.confirm(cast.ben, by=cast.ben), "give"),
        (lambda: net.members.get(give), "member"),
        (lambda: net.postings.get_ask(give), "ask"),
        (lambda: recorded_give(cast, ask_id=give), "ask"),
        (lambda: net.referrals.accept(give, by=cast.ben), "referral"),
        (lambda: net.circles.admit(cast.ana, cast.ben), "circle"),
        (lambda: net.circles.admit(circle, circle), "member"),
        (lambda: net.circles.form(name="Sub", parent_id=give), "circle"),
    ]):
        with subtests.test(msg=f"{n}: {what}"):
            refused(net, NotFound, f"no {what} with id '", command)


# The store


def test_a_second_process_reads_back_what_the_first_wrote(cast: Cast) -> None:
    net = cast.net
    circle = net.circles.form(name="Riverside")
    net.circles.admit(circle, cast.ana)
    ask = net.postings.post_ask(title="Oven broken", by=cast.ben)
    give = recorded_give(cast, ask_id=ask, hours="12.25")
    net.gives.confirm(give, by=cast.ben)
    referral = net.referrals.make(receiver_id=cast.ben, prospect="Dana", need="web", warmth=5,
                                  by=cast.ana)
    second = build(net.settings)
    try:
        assert second.app.last_position() == net.app.last_position()
        assert second.members.get(cast.ana) == net.members.get(cast.ana)
        assert second.circles.get(circle) == net.circles.get(circle)
        assert second.postings.get_ask(ask) == net.postings.get_ask(ask)
        assert second.gives.get(give) == net.gives.get(give)
        assert second.referrals.get(referral) == net.referrals.get(referral)
        # And it writes to the same log, seen by the first.
        second.referrals.accept(referral, by=cast.ben)
        assert net.referrals.get(referral)["status"] == "accepted"
    finally:
        second.close()


def replayed(net: Network, aggregate_id: UUID) -> object:
    """Return the aggregate projected from every stored event, ignoring snapshots."""
    aggregate = None
    for stored in net.app.events.get(aggregate_id):
        aggregate = stored.mutate(aggregate)
    return aggregate


def test_members_and_circles_are_snapshotted_and_load_the_same(cast: Cast) -> None:
    net = cast.net
    circle = net.circles.form(name="Riverside")
    for n in range(SNAPSHOT_EVERY + 5):
        net.members.update_profile(cast.ana, name=f"Ana {n}", business="", about="", by=cast.ana)
    for _ in range(SNAPSHOT_EVERY // 2 + 2):
        net.circles.admit(circle, cast.ben)
        net.circles.depart(circle, cast.ben, by=cast.ben)
    net.circles.admit(circle, cast.ben)
    for aggregate_id, kind in [(cast.ana, Member), (circle, Circle)]:
        snapshot = list(net.app.snapshots.get(aggregate_id, desc=True, limit=1))
        assert [s.originator_version for s in snapshot] == [SNAPSHOT_EVERY]
        second = build(net.settings)
        try:
            loaded = second.app.repository.get(aggregate_id)
        finally:
            second.close()
        assert isinstance(loaded, kind)
        assert loaded == replayed(net, aggregate_id)
        assert loaded.version > SNAPSHOT_EVERY
    assert net.members.get(cast.ana)["name"] == f"Ana {SNAPSHOT_EVERY + 4}"
    assert net.circles.get(circle)["members"] == [cast.ben]


class Keepsake(CoopAggregate):
    """A test-only aggregate carrying every kind of value the events store."""

    @event("Kept")
    def __init__(self, *, on: date, price: Money, hours: Decimal, by: UUID) -> None:
        self.on, self.price, self.hours = on, price, hours


@pytest.mark.parametrize(("hours", "price"), [
    ("0.01", Money(Decimal("0.125"), "BHD")),
    ("199.99", Money(Decimal("1000000000.00"), "EUR")),
    ("12.50", Money(Decimal("100"), "JPY")),
])
def test_decimals_money_and_dates_round_trip_exactly(network: Network, hours: str,
                                                    price: Money) -> None:
    kept = Keepsake(on=date(2024, 2, 29), price=price, hours=Decimal(hours), by=uuid4())
    network.app.save(kept)
    second = build(network.settings)
    try:
        loaded = second.app.repository.get(kept.id)
    finally:
        second.close()
    assert loaded.on == date(2024, 2, 29) and type(loaded.on) is date
    assert loaded.price == price and str(loaded.price.amount) == str(price.amount)
    assert str(loaded.hours) == hours


def test_times_are_stored_as_given_by_the_clock_in_utc(cast: Cast) -> None:
    net = cast.net
    moment = datetime(2024, 3, 31, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    with clock.frozen_at(moment):
        give = recorded_give(cast)
    second = build(net.settings)
    try:
        recorded_at = second.gives.get(give)["recorded_at"]
    finally:
        second.close()
    assert recorded_at == moment
    assert recorded_at.utcoffset() == timedelta(0)


def test_hours_and_closed_business_round_trip_through_the_services(cast: Cast) -> None:
    net = cast.net
    give = recorded_give(cast, hours="0.5")
    referral = net.referrals.make(receiver_id=cast.ben, prospect="Dana", need="web", warmth=3,
                                  by=cast.ana)
    net.referrals.accept(referral, by=cast.ben)
    net.referrals.close_business(referral, value="1000", currency="KWD", by=cast.ben)
    second = build(net.settings)
    try:
        assert str(second.gives.get(give)["hours"]) == "0.50"
        assert str(second.referrals.get(referral)["value"]) == "1000.000"
    finally:
        second.close()
