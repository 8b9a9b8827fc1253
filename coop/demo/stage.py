"""The stage the demo year is played on: the cast, their acts in time order, and
what has been done so far.

Acts are queued with the moment they happen and played earliest first, each on the
frozen clock, so the log's order is the order of time. An act may queue later acts
(a give queues its confirmation), always after its own moment.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from coop.bootstrap import Network
from coop.demo.days import END, START, later
from coop.demo.people import Person
from domain import clock
from domain.values import member_id_for

T = TypeVar("T")


class Deck:
    """Draw fates in shuffled rounds, so each kind turns up as often as planned."""

    def __init__(self, rng: random.Random, cards: dict[str, int]) -> None:
        self.rng = rng
        self.cards = [card for card, count in cards.items() for _ in range(count)]
        self.hand: list[str] = []

    def draw(self) -> str:
        if not self.hand:
            self.hand = list(self.cards)
            self.rng.shuffle(self.hand)
        return self.hand.pop()


@dataclass
class Posted:
    """An offer or ask the demo has posted, as the demo remembers it."""

    id: UUID
    author: Person
    title: str
    description: str
    tags: str
    circle: str | None
    answer: str = ""  # for an ask: what the give answering it says
    trade: str = ""  # for an ask: the trade whose members can answer it


@dataclass
class Record:
    """Ids of everything the demo created, for the summary."""

    offers: list[UUID] = field(default_factory=list)
    asks: list[UUID] = field(default_factory=list)
    gives: list[UUID] = field(default_factory=list)
    referrals: list[UUID] = field(default_factory=list)


class Stage:
    """The network the demo acts on, its cast, and the queue of acts to come."""

    def __init__(self, net: Network, rng: random.Random) -> None:
        self.net, self.rng = net, rng
        self.now = START - timedelta(seconds=1)
        self._queue: list[tuple[datetime, int, Callable[..., None], tuple[Any, ...]]] = []
        self._order = itertools.count()
        self.joined: list[Person] = []
        self.stewards: list[Person] = []
        self.circle_ids: dict[str, UUID] = {}
        self.circle_members: dict[str, list[Person]] = {}
        self.open_offers: list[Posted] = []
        self.decks: dict[str, Deck] = {}  # fates of offers, asks and referrals
        self.unusual_gives: dict[int, str] = {}  # ordinal of a give -> its unusual fate
        self.gives_dealt = 0  # gives whose fate has been dealt so far
        self.record = Record()

    # Time
    def at(self, moment: datetime, act: Callable[..., None], *args: Any) -> None:
        """Queue ``act(*args)`` to happen at ``moment``."""
        heapq.heappush(self._queue, (moment, next(self._order), act, args))

    def after(self, min_days: int, max_days: int, act: Callable[..., None], *args: Any) -> None:
        """Queue an act ``min_days`` to ``max_days`` days after the current one."""
        self.at(later(self.now, self.rng, min_days, max_days), act, *args)

    def soon(self, minutes: int, act: Callable[..., None], *args: Any) -> None:
        """Queue an act a few minutes after the current one."""
        self.at(self.now + timedelta(minutes=minutes, seconds=self.rng.randrange(60)),
                act, *args)

    def play(self) -> None:
        """Play every queued act in time order; acts planned past the year are dropped."""
        while self._queue:
            planned, _, act, args = heapq.heappop(self._queue)
            if planned >= END:
                continue
            # Strictly increasing moments: the log's order is the order of time.
            self.now = max(planned, self.now + timedelta(seconds=1))
            with clock.frozen_at(self.now):
                act(self, *args)

    # The cast
    @staticmethod
    def id(person: Person) -> UUID:
        return member_id_for(person.email)

    def pick(self, people: Sequence[Person], *, but: Sequence[Person] = ()) -> Person | None:
        """Return someone from ``people`` (not in ``but``), busier members more often."""
        choices = [p for p in people if p not in but]
        if not choices:
            return None
        return self.rng.choices(choices, weights=[p.activity for p in choices])[0]

    def pick_offer(self) -> Posted | None:
        """Return an open offer, those of busier members more often."""
        if not self.open_offers:
            return None
        weights = [o.author.activity for o in self.open_offers]
        return self.rng.choices(self.open_offers, weights=weights)[0]

    def choice(self, items: Sequence[T]) -> T:
        return self.rng.choice(items)

    def steward(self, *, but: Sequence[Person] = ()) -> UUID:
        """Return a steward's id, one who is not party to the matter when possible."""
        neutral = [s for s in self.stewards if s not in but] or self.stewards
        return self.id(self.rng.choice(neutral))

    def shared_circles(self, one: Person, other: Person) -> list[str]:
        return [key for key, members in self.circle_members.items()
                if one in members and other in members]

    def circle_id(self, key: str | None) -> UUID | None:
        return self.circle_ids[key] if key else None
