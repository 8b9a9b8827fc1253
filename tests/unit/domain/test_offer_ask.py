"""Offers and asks: changed only by their author; a fulfilled ask stays fulfilled."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest

from domain import clock
from domain.ask import Ask
from domain.errors import AlreadyWithdrawn, AskAlreadyFulfilled, InvalidText, NotTheAuthor
from domain.offer import Offer
from tests.unit.domain.test_member import event_names

ANA, BEN = uuid4(), uuid4()
GIVE = uuid4()


def update(posting: Offer | Ask, by=ANA) -> None:
    posting.update(title="New title", description="", tags="", by=by)


@pytest.mark.parametrize("kind", [Offer, Ask])
def test_a_posting_is_cleaned_and_belongs_to_its_author(kind: type[Offer | Ask]) -> None:
    posting = kind.post(title=" Bread ", description=" sourdough ", tags="Food, baking", by=ANA)
    assert posting.author == ANA
    assert (posting.title, posting.description, posting.tags) == ("Bread", "sourdough",
                                                                   ["baking", "food"])
    assert posting.circle_id is None


@pytest.mark.parametrize("kind", [Offer, Ask])
def test_a_posting_needs_a_title(kind: type[Offer | Ask]) -> None:
    with pytest.raises(InvalidText, match="title is required"):
        kind.post(title="", description="anything", by=ANA)
    with pytest.raises(InvalidText, match="is not a tag"):
        kind.post(title="Bread", description="", tags="#bread", by=ANA)


@pytest.mark.parametrize("kind", [Offer, Ask])
@pytest.mark.parametrize("command", [update, lambda p, by: p.withdraw(by=by)],
                         ids=["update", "withdraw"])
def test_only_the_author_changes_a_posting(kind: type[Offer | Ask], command) -> None:
    posting = kind.post(title="Bread", description="", by=ANA)
    noun = kind.__name__.lower()
    with pytest.raises(NotTheAuthor, match=f"only the member who posted this {noun} may change it"):
        command(posting, by=BEN)
    assert posting.version == 1


@pytest.mark.parametrize("kind", [Offer, Ask])
@pytest.mark.parametrize("command", [update, lambda p, by: p.withdraw(by=by)],
                         ids=["update", "withdraw"])
def test_a_withdrawn_posting_cannot_change(kind: type[Offer | Ask], command) -> None:
    posting = kind.post(title="Bread", description="", by=ANA)
    posting.withdraw(by=ANA)
    with pytest.raises(AlreadyWithdrawn, match=f"this {kind.__name__.lower()} has been withdrawn"):
        command(posting, by=ANA)
    assert posting.version == 2


def test_an_update_replaces_title_description_and_tags() -> None:
    offer = Offer.post(title="Bread", description="old", tags="a", by=ANA)
    offer.update(title="Cakes", description="new", tags=["B", "c"], by=ANA)
    assert (offer.title, offer.description, offer.tags) == ("Cakes", "new", ["b", "c"])
    with pytest.raises(InvalidText, match="title is required"):
        offer.update(title="", description="", tags=None, by=ANA)


def test_an_ask_is_fulfilled_by_its_author() -> None:
    ask = Ask.post(title="Help with accounts", description="", by=ANA)
    with pytest.raises(NotTheAuthor, match="only the member who posted this ask"):
        ask.fulfil(give_id=GIVE, by=BEN)
    ask.fulfil(give_id=GIVE, by=ANA)
    assert ask.fulfilled_by == GIVE
    assert not ask.is_open


@pytest.mark.parametrize("command", [
    update,
    lambda a, by: a.withdraw(by=by),
    lambda a, by: a.fulfil(give_id=uuid4(), by=by),
], ids=["update", "withdraw", "fulfil again"])
def test_a_fulfilled_ask_stays_fulfilled(command) -> None:
    ask = Ask.post(title="Help with accounts", description="", by=ANA)
    ask.fulfil(give_id=GIVE, by=ANA)
    with pytest.raises(AskAlreadyFulfilled, match="this ask has been fulfilled and stays fulfilled"):
        command(ask, by=ANA)
    assert ask.fulfilled_by == GIVE
    assert ask.version == 2


def test_a_withdrawn_ask_cannot_be_fulfilled() -> None:
    ask = Ask.post(title="Help with accounts", description="", by=ANA)
    ask.withdraw(by=ANA)
    assert not ask.is_open
    with pytest.raises(AlreadyWithdrawn, match="this ask has been withdrawn"):
        ask.fulfil(give_id=GIVE, by=ANA)
    assert ask.fulfilled_by is None


@pytest.mark.parametrize("kind", [Offer, Ask])
def test_every_event_carries_by_and_the_clock_time(kind: type[Offer | Ask]) -> None:
    moment = datetime(2023, 12, 31, 23, 0, tzinfo=timezone.utc)
    with clock.frozen_at(moment):
        posting = kind.post(title="Bread", description="", by=ANA)
        update(posting)
        if isinstance(posting, Ask):
            events = posting.collect_events()
            posting.fulfil(give_id=GIVE, by=ANA)
            # A fulfilled ask cannot be withdrawn, so withdraw a second one.
            second = kind.post(title="Bread", description="", by=ANA)
            second.withdraw(by=ANA)
            events += posting.collect_events() + second.collect_events()
        else:
            posting.withdraw(by=ANA)
            events = posting.collect_events()
    assert {type(e).__name__ for e in events} == event_names(kind)
    assert all(e.by == ANA for e in events)
    assert all(e.timestamp == moment for e in events)
