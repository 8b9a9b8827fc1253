"""Random sequences of commands against the services, checked against a simple model.

Each command is predicted by the model (allowed or refused); the services must agree,
refuse only with a CoopError, and write nothing when they refuse. After every step each
aggregate the step wrote (by the log) or should have changed (by the model) is rebuilt
from the store by a second application and compared with the model.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from coop.application import CoopApplication
from coop.bootstrap import build
from coop.config import Settings
from coop.services.authority import OPERATOR
from domain.ask import Ask
from domain.circle import Circle
from domain.errors import CoopError
from domain.give import CONFIRMED, DISPUTED, PENDING, REVERSED, Give
from domain.member import Member
from domain.offer import Offer
from domain.referral import Referral
from domain.values import Money

# Hypothesis favours the first choice of a list and False and 0, so those are the
# commonly allowed ones: the machine then gets deep rather than refusing at the door.
EMAILS = ["dee@coop.test", " ANA@coop.test", "Eve@Coop.Test", "eve@coop.test ", "fay@coop.test",
          "not-an-email"]
HOURS: dict[object, bool] = {"1": True, "0.5": True, "2.25": True, "200": True, "0": False,
                             "-1": False, "200.01": False, "1.234": False, 1.5: False}
WARMTH: dict[object, bool] = {1: True, "3": True, 5: True, 0: False, 6: False, "warm": False}
REFERRAL_MOVES = {("made", "accept"): "accepted", ("made", "decline"): "declined",
                  ("accepted", "close"): "business_closed", ("accepted", "lose"): "lost"}
CLOSED_VALUE = Money(Decimal("250.00"), "EUR")
REFUSED = object()  # what a refused command returns
# Each example gets a new SQLite store; in memory-backed /dev/shm when there is one, since
# the machine runs thousands of small commits and disk syncs would dominate its time.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None
someone = st.integers(min_value=0, max_value=30)  # picks a member
# Picks a circle, ask, give or referral; -1, the newest, half the time, so that what one
# step creates the next steps tend to act on.
index = st.one_of(st.just(-1), st.integers(min_value=0, max_value=30))
hours = st.sampled_from([h for h, ok in HOURS.items() if ok] * 3
                        + [h for h, ok in HOURS.items() if not ok])
sometimes = st.sampled_from([False, False, True])  # an optional part of a command


@dataclass
class MemberModel:
    email: str
    left: bool = False


@dataclass
class CircleModel:
    parent: UUID | None
    members: list[UUID] = field(default_factory=list)


@dataclass
class PostingModel:
    author: UUID
    withdrawn: bool = False
    fulfilled_by: UUID | None = None

    @property
    def is_open(self) -> bool:
        return not self.withdrawn and self.fulfilled_by is None


@dataclass
class GiveModel:
    giver: UUID
    receiver: UUID
    hours: Decimal
    ask_id: UUID | None
    circle_id: UUID | None
    status: str = PENDING


@dataclass
class ReferralModel:
    referrer: UUID
    receiver: UUID
    status: str = "made"
    thanked: bool = False
    value: Money | None = None


def pick(things: dict[UUID, Any], i: int) -> UUID:
    return list(things)[i % len(things)]


class CoopMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A fresh store per example: function-scoped fixtures do not reach in here.
        self.tmp = tempfile.TemporaryDirectory(dir=SCRATCH)
        self.settings = Settings(data_dir=Path(self.tmp.name) / "instance")
        self.net = build(self.settings, create_tables=True)
        self.reader = CoopApplication(self.settings)  # a second process view, no cache
        self.position = 0
        self.changed: set[UUID] = set()  # what the model changed in the current step
        self.joined: set[str] = set()
        self.members: dict[UUID, MemberModel] = {}
        self.circles: dict[UUID, CircleModel] = {}
        self.asks: dict[UUID, PostingModel] = {}
        self.offers: dict[UUID, PostingModel] = {}
        self.gives: dict[UUID, GiveModel] = {}
        self.referrals: dict[UUID, ReferralModel] = {}

    def teardown(self) -> None:
        self.reader.close()
        self.net.close()
        self.tmp.cleanup()

    def run(self, allowed: bool, command: Any, *changing: UUID | None) -> Any:
        """Run a command the model says is ``allowed`` (or not) and that would change the
        ``changing`` aggregates; return its result or REFUSED."""
        before = self.net.app.last_position()
        try:
            result = command()
        except CoopError as error:
            assert self.net.app.last_position() == before, f"refused but wrote: {error}"
            assert not allowed, f"the model allows what was refused: {error!r}"
            return REFUSED
        assert allowed, "the services allowed what the model refuses"
        self.changed.update(c for c in changing if c is not None)
        return result

    def active(self, member_id: UUID) -> bool:
        return not self.members[member_id].left

    def in_circle(self, circle_id: UUID | None, *member_ids: UUID) -> bool:
        return circle_id is None or all(m in self.circles[circle_id].members for m in member_ids)

    def some_circle(self, wanted: bool, i: int) -> UUID | None:
        return pick(self.circles, i) if wanted and self.circles else None

    # Rules: one per command, and two short stories that reach deeper states

    @initialize()
    def three_members(self) -> None:
        for email in ("ana@coop.test", "ben@coop.test", "cat@coop.test"):
            self.members[self.net.members.add(email=email, name="Member")] = MemberModel(email)

    @precondition(lambda self: len(self.members) < 6)  # the other rules need turns too
    @rule(email=st.sampled_from(EMAILS))
    def add_member(self, email: str) -> None:
        normal = email.strip().lower()
        allowed = "@" in normal and normal not in {m.email for m in self.members.values()}
        member_id = self.run(allowed, lambda: self.net.members.add(email=email, name="Member"))
        if allowed:
            self.members[member_id] = MemberModel(normal)
            self.changed.add(member_id)

    @precondition(lambda self: len(self.circles) < 4)
    @rule(nested=st.booleans(), c=index)
    def form_circle(self, nested: bool, c: int) -> None:
        parent = self.some_circle(nested, c)
        circle_id = self.run(True, lambda: self.net.circles.form(name="Circle", parent_id=parent))
        self.circles[circle_id] = CircleModel(parent)
        self.changed.add(circle_id)

    @precondition(lambda self: self.circles and self.members)
    @rule(c=index, m=someone)
    def admit(self, c: int, m: int) -> None:
        circle_id, member_id = pick(self.circles, c), pick(self.members, m)
        circle = self.circles[circle_id]
        allowed = (self.active(member_id) and member_id not in circle.members
                   and self.in_circle(circle.parent, member_id))
        if self.run(allowed, lambda: self.net.circles.admit(circle_id, member_id),
                    circle_id) is not REFUSED:
            circle.members.append(member_id)

    @precondition(lambda self: self.members)
    @rule(m=someone, ask=st.booleans(), in_circle=sometimes, c=index)
    def post(self, m: int, ask: bool, in_circle: bool, c: int) -> None:
        self.post_as(pick(self.members, m), ask, self.some_circle(in_circle, c))

    @precondition(lambda self: self.asks and self.members)
    @rule(a=index, as_other=sometimes, m=someone)
    def withdraw_ask(self, a: int, as_other: bool, m: int) -> None:
        ask_id = pick(self.asks, a)
        ask = self.asks[ask_id]
        by = pick(self.members, m) if as_other else ask.author
        allowed = self.active(by) and by == ask.author and ask.is_open
        if self.run(allowed, lambda: self.net.postings.withdraw_ask(ask_id, by=by),
                    ask_id) is not REFUSED:
            ask.withdrawn = True

    @precondition(lambda self: self.members)
    @rule(g=someone, r=someone, hours=hours, answer=st.sampled_from(["no ask", "asker's", "other's"]),
          a=index, in_circle=sometimes, c=index)
    def record_give(self, g: int, r: int, hours: object, answer: str, a: int, in_circle: bool,
                    c: int) -> None:
        giver, receiver = pick(self.members, g), pick(self.members, g + 1 + r)
        ask_id = pick(self.asks, a) if answer != "no ask" and self.asks else None
        if ask_id is not None and answer == "asker's":
            receiver = self.asks[ask_id].author
        self.record_give_as(giver, receiver, hours, ask_id, self.some_circle(in_circle, c))

    @precondition(lambda self: self.gives)
    @rule(g=index, action=st.sampled_from(["confirm", "dispute", "reverse"]), odd_one=sometimes,
          m=someone)
    def settle_give(self, g: int, action: str, odd_one: bool, m: int) -> None:
        """Confirm or dispute (the receiver, or oddly the giver) or reverse (a steward, or
        oddly a member) a give."""
        give_id = pick(self.gives, g)
        give = self.gives[give_id]
        if action == "reverse":
            by = pick(self.members, m) if odd_one else OPERATOR  # no member is a steward here
        else:
            by = give.giver if odd_one else give.receiver
        self.settle_as(give_id, action, by)

    @precondition(lambda self: self.members)
    @rule(asker=someone, helper=someone, hours=hours,
          then=st.sampled_from(["confirm", "dispute", "reverse", "leave it"]))
    def ask_and_be_helped(self, asker: int, helper: int, hours: object, then: str) -> None:
        """A story in one step: one member asks, another answers with a give, and the
        asker settles it (or a steward reverses it)."""
        asker_id, helper_id = pick(self.members, asker), pick(self.members, asker + 1 + helper)
        ask_id = self.post_as(asker_id, True, None)
        if ask_id is REFUSED:
            return
        give_id = self.record_give_as(helper_id, asker_id, hours, ask_id, None)
        if give_id is not REFUSED and then != "leave it":
            self.settle_as(give_id, then, OPERATOR if then == "reverse" else asker_id)

    # Commands shared by the rules, each predicted by the model

    def post_as(self, author: UUID, ask: bool, circle_id: UUID | None) -> Any:
        allowed = self.active(author) and self.in_circle(circle_id, author)
        post = self.net.postings.post_ask if ask else self.net.postings.post_offer
        posting_id = self.run(allowed, lambda: post(title="Help", circle_id=circle_id, by=author))
        if allowed:
            (self.asks if ask else self.offers)[posting_id] = PostingModel(author)
            self.changed.add(posting_id)
        return posting_id

    def record_give_as(self, giver: UUID, receiver: UUID, hours: object, ask_id: UUID | None,
                       circle_id: UUID | None) -> Any:
        ask = self.asks[ask_id] if ask_id else None
        allowed = (self.active(giver) and self.active(receiver) and giver != receiver
                   and HOURS[hours] and self.in_circle(circle_id, giver, receiver)
                   and (ask is None or (ask.is_open and ask.author == receiver)))
        give_id = self.run(allowed, lambda: self.net.gives.record(
            receiver_id=receiver, hours=hours, description="Helped", ask_id=ask_id,
            circle_id=circle_id, by=giver))
        if allowed:
            self.gives[give_id] = GiveModel(giver, receiver, Decimal(str(hours)).quantize(
                Decimal("0.01")), ask_id, circle_id)
            self.changed.add(give_id)
        return give_id

    def settle_as(self, give_id: UUID, action: str, by: UUID) -> None:
        give = self.gives[give_id]
        if action == "reverse":
            allowed = by == OPERATOR and give.status != REVERSED
            command = lambda: self.net.gives.reverse(give_id, reason="Mistake", by=by)  # noqa: E731
        else:
            settles = (PENDING, DISPUTED) if action == "confirm" else (PENDING,)
            allowed = self.active(by) and by == give.receiver and give.status in settles
            command = (lambda: self.net.gives.confirm(give_id, by=by)) if action == "confirm" \
                else (lambda: self.net.gives.dispute(give_id, reason="No", by=by))
        if self.run(allowed, command, give_id, give.ask_id) is REFUSED:
            return
        give.status = {"confirm": CONFIRMED, "dispute": DISPUTED, "reverse": REVERSED}[action]
        ask = self.asks.get(give.ask_id) if give.ask_id else None
        if action == "confirm" and ask is not None and ask.is_open and ask.author == by:
            ask.fulfilled_by = give_id

    # Referrals, leaving and coming back

    @precondition(lambda self: self.members)
    @rule(f=someone, t=someone, warmth=st.sampled_from(list(WARMTH)))
    def make_referral(self, f: int, t: int, warmth: object) -> None:
        self.make_referral_as(pick(self.members, f), pick(self.members, f + 1 + t), warmth)

    @precondition(lambda self: self.referrals)
    @rule(r=index, move=st.sampled_from(["onward"] * 3 + ["accept", "close", "thank", "decline",
                                                          "lose"]), as_referrer=sometimes)
    def move_referral(self, r: int, move: str, as_referrer: bool) -> None:
        referral_id = pick(self.referrals, r)
        referral = self.referrals[referral_id]
        if move == "onward":  # the happy path from wherever the referral is
            move = {"made": "accept", "accepted": "close"}.get(referral.status, "thank")
        self.move_as(referral_id, move, referral.referrer if as_referrer else referral.receiver)

    @precondition(lambda self: self.members)
    @rule(f=someone, t=someone, outcome=st.sampled_from(["close", "lose", "decline"]),
          thank=st.booleans())
    def refer_and_follow_through(self, f: int, t: int, outcome: str, thank: bool) -> None:
        """A story in one step: a referral made, accepted (unless declined), closed or
        lost, and perhaps thanked."""
        referrer, receiver = pick(self.members, f), pick(self.members, f + 1 + t)
        referral_id = self.make_referral_as(referrer, receiver, 5)
        if referral_id is REFUSED:
            return
        for move in (["accept"] if outcome != "decline" else []) + [outcome] + \
                (["thank"] if thank else []):
            self.move_as(referral_id, move, receiver)

    def make_referral_as(self, referrer: UUID, receiver: UUID, warmth: object) -> Any:
        allowed = (self.active(referrer) and self.active(receiver) and referrer != receiver
                   and WARMTH[warmth])
        referral_id = self.run(allowed, lambda: self.net.referrals.make(
            receiver_id=receiver, prospect="Dana", need="A website", warmth=warmth, by=referrer))
        if allowed:
            self.referrals[referral_id] = ReferralModel(referrer, receiver)
            self.changed.add(referral_id)
        return referral_id

    def move_as(self, referral_id: UUID, move: str, by: UUID) -> None:
        referral = self.referrals[referral_id]
        if move == "thank":
            possible = referral.status in ("business_closed", "lost") and not referral.thanked
        else:
            possible = (referral.status, move) in REFERRAL_MOVES
        allowed = self.active(by) and by == referral.receiver and possible
        commands = {
            "accept": lambda: self.net.referrals.accept(referral_id, by=by),
            "decline": lambda: self.net.referrals.decline(referral_id, by=by),
            "close": lambda: self.net.referrals.close_business(
                referral_id, value="250", currency="EUR", by=by),
            "lose": lambda: self.net.referrals.mark_lost(referral_id, by=by),
            "thank": lambda: self.net.referrals.thank(referral_id, by=by),
        }
        if self.run(allowed, commands[move], referral_id) is REFUSED:
            return
        if move == "thank":
            referral.thanked = True
        else:
            referral.status = REFERRAL_MOVES[(referral.status, move)]
            referral.value = CLOSED_VALUE if move == "close" else None

    @precondition(lambda self: not any(m.left for m in self.members.values()))
    @rule(m=someone)
    def leave(self, m: int) -> None:
        self.leave_as(pick(self.members, m))

    @precondition(lambda self: any(m.left for m in self.members.values()))
    @rule(m=someone, by_member=sometimes, b=someone)
    def rejoin(self, m: int, by_member: bool, b: int) -> None:
        """Welcome back (a steward, or oddly a member) a member who left, or one who
        has not (refused)."""
        by = pick(self.members, b) if by_member else OPERATOR  # no member is a steward here
        self.rejoin_as(pick(self.members, m), by)

    @precondition(lambda self: not any(m.left for m in self.members.values())
                  and any(c.members for c in self.circles.values()))
    @rule(c=index, m=someone)
    def away_and_back(self, c: int, m: int) -> None:
        """A story in one step: a member of a circle leaves the network and is welcomed
        back, no longer in the circle."""
        circles = [circle for circle in self.circles.values() if circle.members]
        circle = circles[c % len(circles)]
        member_id = circle.members[m % len(circle.members)]
        if self.leave_as(member_id) is not REFUSED:
            self.rejoin_as(member_id, OPERATOR)
            assert member_id not in circle.members

    def leave_as(self, member_id: UUID) -> Any:
        allowed = self.active(member_id)
        left = self.run(allowed, lambda: self.net.members.leave(member_id, by=member_id),
                        member_id)
        if left is not REFUSED:
            self.members[member_id].left = True
        return left

    def rejoin_as(self, member_id: UUID, by: UUID) -> None:
        """Only a steward welcomes back, only one who left; the circles that still
        list them let them go."""
        allowed = by == OPERATOR and self.members[member_id].left
        listing = [c for c, circle in self.circles.items() if member_id in circle.members]
        if self.run(allowed, lambda: self.net.members.rejoin(member_id, by=by),
                    member_id, *listing) is REFUSED:
            return
        self.members[member_id].left = False
        for circle_id in listing:
            self.circles[circle_id].members.remove(member_id)

    # Invariants

    @invariant()
    def what_was_written_rebuilds_to_the_model(self) -> None:
        touched: set[UUID] = set()
        for notification in self.reader.recorder.select_notifications(
                start=self.position + 1, limit=1000):
            stored = self.reader.mapper.to_domain_event(notification)
            assert stored.by is not None
            if isinstance(stored, Member.Joined):
                # One member per email, however it was written.
                assert stored.email not in self.joined
                self.joined.add(stored.email)
            touched.add(stored.originator_id)
            self.position = notification.id
        # What the log says changed, and what the model says should have.
        for aggregate_id in touched | self.changed:
            self.check_rebuilt(aggregate_id)
        self.changed.clear()
        # One member per email: the model, the services and the log agree.
        emails = [m.email for m in self.members.values()]
        assert len(emails) == len(set(emails)) == len(self.joined)

    def check_rebuilt(self, aggregate_id: UUID) -> None:
        rebuilt = self.reader.repository.get(aggregate_id)
        if isinstance(rebuilt, Member):
            m = self.members[aggregate_id]
            assert (rebuilt.email, rebuilt.has_left, rebuilt.roles) == (m.email, m.left, [])
        elif isinstance(rebuilt, Circle):
            c = self.circles[aggregate_id]
            assert (rebuilt.parent_id, rebuilt.members) == (c.parent, c.members)
        elif isinstance(rebuilt, Ask):
            a = self.asks[aggregate_id]
            assert (rebuilt.author, rebuilt.withdrawn, rebuilt.fulfilled_by) == \
                (a.author, a.withdrawn, a.fulfilled_by)
        elif isinstance(rebuilt, Offer):
            o = self.offers[aggregate_id]
            assert (rebuilt.author, rebuilt.withdrawn) == (o.author, o.withdrawn)
        elif isinstance(rebuilt, Give):
            g = self.gives[aggregate_id]
            assert (rebuilt.giver, rebuilt.receiver, rebuilt.hours, rebuilt.status,
                    rebuilt.ask_id, rebuilt.circle_id) == \
                (g.giver, g.receiver, g.hours, g.status, g.ask_id, g.circle_id)
            assert str(rebuilt.hours) == str(g.hours)
            # No one ever confirms help given to themself.
            assert not (rebuilt.status == CONFIRMED and rebuilt.giver == rebuilt.receiver)
        elif isinstance(rebuilt, Referral):
            r = self.referrals[aggregate_id]
            assert (rebuilt.referrer, rebuilt.receiver, rebuilt.status, rebuilt.thanked,
                    rebuilt.value) == (r.referrer, r.receiver, r.status, r.thanked, r.value)
        else:  # pragma: no cover - a new aggregate this machine does not know yet
            raise AssertionError(f"unexpected aggregate {type(rebuilt).__name__}")


CoopMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
TestCoopMachine = CoopMachine.TestCase
