"""The store the portal benchmark loads: a network's history of any size, in bulk.

Real Coop events, saved through the one application a chunk at a time: members,
circles, offers and asks, gives answering them (confirmed, disputed, reversed) and
referrals. A "probe" member has the same history at every size, spread evenly over
the log, so what a page costs for it says whether the page depends on the log's size.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coop.bootstrap import Network, build
from coop.config import Settings
from domain import clock
from domain.ask import Ask
from domain.circle import Circle
from domain.give import Give
from domain.member import Member
from domain.offer import Offer
from domain.referral import Referral

START = datetime(2024, 11, 1, tzinfo=timezone.utc)
SPAN = timedelta(days=730)
CHUNK = 500  # aggregates per save: one transaction
PROBE = "probe@bench.coop"
PASSWORD = "bench-password-1234"
READ_MODELS = ["ledger", "directory", "postings", "activity"]
TAGS = ["bookkeeping", "tax", "web", "design", "plumbing", "joinery", "baking", "repair",
        "legal", "marketing", "printing", "moving", "garden", "bikes", "sewing", "ai"]
# The probe's history, the same at every size.
PROBE_GIVES, PROBE_ASKS, PROBE_OFFERS, PROBE_WAITING, PROBE_REFERRALS = 200, 20, 6, 4, 6


class Generator:
    """Saves about ``total`` events, in bulk, through the one application."""

    def __init__(self, net: Network, total: int, seed: int = 1) -> None:
        self.net, self.total, self.rng = net, total, random.Random(seed)
        self.saved = 0
        self.probe_steps = 0

    def run(self) -> None:
        rng = self.rng
        with clock.frozen_at(START):
            self.members = [Member.join(email=f"m{i}@bench.coop", name=f"Member {i}")
                            for i in range(max(50, self.total // 1000))]
            self.probe = Member.join(email=PROBE, name="Probe Member")
            self.partner = Member.join(email="partner@bench.coop", name="Partner Member")
            founder = self.members[0].id
            top = [Circle.form(name=f"Circle {i}", purpose="", parent=None, by=founder)
                   for i in range(8)]
            circles = top + [Circle.form(name=f"Group {i}", purpose="", parent=top[i],
                                         by=founder) for i in range(2)]
            self.in_circle: dict[Any, list[Member]] = {}
            for c in circles:
                parent = next((p for p in top if p.id == c.parent_id), None)
                pool = self.in_circle[parent.id] if parent else self.members
                chosen = rng.sample(pool, max(2, len(pool) // 4))
                # The probe and its partner are in two circles, but the random
                # activity below never picks them: their history stays the same.
                for m in chosen + ([self.probe, self.partner] if c in top[:2] else []):
                    c.admit(member_id=m.id, parent=parent, by=founder)
                self.in_circle[c.id] = chosen
            self.circles = circles
            self._save([*self.members, self.probe, self.partner])
            self._save(circles)
        self.by_id = {m.id: m for m in [*self.members, self.probe, self.partner]}
        self.open_asks: list[Ask] = []
        while self.saved < self.total:
            moment = START + SPAN * (self.saved / self.total)
            batch: list[Any] = []
            self.fresh_asks: list[Ask] = []
            with clock.frozen_at(moment):
                while self.probe_steps < PROBE_GIVES * self.saved / self.total:
                    batch += self._probe_step()
                while len(batch) < CHUNK:
                    batch += self._activity()
            self._save(batch)
            # Only asks already saved are answered, and only a bounded number are kept.
            self.open_asks = (self.open_asks + self.fresh_asks)[-5000:]

    def _save(self, aggregates: list[Any]) -> None:
        self.saved += sum(len(a.pending_events) for a in aggregates)
        self.net.app.save(*aggregates)

    def _probe_step(self) -> list[Any]:
        """One step of the probe's history: a give each way in turn, now and then an
        ask, an offer, a give waiting for the probe or a referral for it."""
        i, probe, partner = self.probe_steps, self.probe, self.partner
        self.probe_steps += 1
        a, b = (probe, partner) if i % 2 else (partner, probe)
        give = Give.record(giver=a.id, receiver=b.id, hours="1.5", description="probe help",
                           by=a.id)
        give.confirm(by=b.id)
        out: list[Any] = [give]
        every = PROBE_GIVES // PROBE_ASKS
        if i % every == 0:
            out.append(Ask.post(title=f"Probe ask {i}", description="", tags=["tax"],
                                by=probe.id))
            if i % (2 * every) == 0:
                out[-1].withdraw(by=probe.id)
        if i % (PROBE_GIVES // PROBE_OFFERS) == 1:
            out.append(Offer.post(title=f"Probe offer {i}", description="", tags=["web"],
                                  by=probe.id))
        if i % (PROBE_GIVES // PROBE_WAITING) == 2:
            out.append(Give.record(giver=partner.id, receiver=probe.id, hours="2",
                                   description="waiting for the probe", by=partner.id))
        if i % (PROBE_GIVES // PROBE_REFERRALS) == 3:
            out.append(Referral.make(referrer=partner.id, receiver=probe.id,
                                     prospect=f"Prospect {i}", need="x", warmth=3,
                                     by=partner.id))
        return out

    def _activity(self) -> list[Any]:
        """Return the aggregates of one random act of the network (not yet saved)."""
        rng = self.rng
        circle = rng.choice(self.circles) if rng.random() < 0.4 else None
        a, b = rng.sample(self.in_circle[circle.id] if circle else self.members, 2)
        circle_id = circle.id if circle else None
        roll = rng.random()
        if roll < 0.12:
            ask = Ask.post(title=f"Help with {rng.choice(TAGS)}", description="",
                           tags=rng.sample(TAGS, 2), circle_id=circle_id, by=a.id)
            if rng.random() < 0.2:
                ask.withdraw(by=a.id)
            else:
                self.fresh_asks.append(ask)
            return [ask]
        if roll < 0.15:
            return [Offer.post(title=f"I can help with {rng.choice(TAGS)}", description="",
                               tags=rng.sample(TAGS, 2), circle_id=circle_id, by=a.id)]
        if roll < 0.85:
            ask = None
            if self.open_asks and rng.random() < 0.3:
                # Someone answers an ask saved earlier: the give goes to the asker.
                ask = self.open_asks.pop(rng.randrange(len(self.open_asks)))
                b = self.by_id[ask.author]
                a = next(m for m in iter(lambda: rng.choice(self.members), None) if m is not b)
                circle_id = None
            give = Give.record(giver=a.id, receiver=b.id, hours=f"{rng.randint(1, 32) / 4}",
                               description="help", ask_id=ask.id if ask else None,
                               circle_id=circle_id, by=a.id)
            fate = rng.random()
            if fate < 0.8:
                give.confirm(by=b.id)
                if ask is not None:
                    ask.fulfil(give_id=give.id, by=b.id)
                elif fate < 0.03:
                    give.reverse(reason="mistake", by=self.members[0].id)
            elif fate < 0.87:
                give.dispute(reason="not so", by=b.id)
            return [give, ask] if ask is not None else [give]
        referral = Referral.make(referrer=a.id, receiver=b.id, prospect="a shop", need="x",
                                 warmth=3, circle_id=circle_id, by=a.id)
        referral.accept(by=b.id)
        if rng.random() < 0.5:
            referral.close_business(value=f"{rng.randint(10, 5000)}.00", currency="EUR", by=b.id)
        return [referral]


def prepare(data_dir: Path, events: int) -> dict[str, float]:
    """Fill a fresh store in ``data_dir`` and catch the pages' read models up."""
    net = build(Settings(data_dir=data_dir), create_tables=True)
    try:
        started = time.perf_counter()
        Generator(net, events).run()
        generated = time.perf_counter() - started
        started = time.perf_counter()
        net.projector.catch_up(READ_MODELS)
        projected = time.perf_counter() - started
        probe = net.members.id_for_email(PROBE)
        net.accounts.set_password(probe, PASSWORD)
        return {"events": net.app.last_position(), "generate_s": generated,
                "project_s": projected}
    finally:
        net.close()
