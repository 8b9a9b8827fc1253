"""A small network's history that touches every event the list read models read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from coop.bootstrap import Network
from coop.services.authority import OPERATOR
from domain import clock
from tests.unit.projections.fakes import rows_of

T0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)


@dataclass
class History:
    """The ids a test needs, by a name that says what the thing is."""

    ids: dict[str, UUID] = field(default_factory=dict)
    moment: datetime = T0

    def __getitem__(self, name: str) -> UUID:
        return self.ids[name]

    def at(self, **delta: int) -> Any:
        """Move the clock on (a day by default) and freeze it there."""
        self.moment += timedelta(**delta) if delta else timedelta(days=1)
        return clock.frozen_at(self.moment)


def small_network(net: Network) -> History:
    """Play a few weeks of a network of five; return the ids of what it made."""
    h = History()
    ids = h.ids
    with h.at():
        ids["steward"] = net.members.add(email="sam@coop.test", name="Sam Steward",
                                         business="Steward & Co", steward=True)
        for key, name, business in (("ann", "Ann Archer", "Archery Supplies"),
                                    ("bo", "Bo Baker", "Bo's Bakery"),
                                    ("cy", "Cy Carver", "Carved Things"),
                                    ("di", "Di Dyer", "")):
            ids[key] = net.members.add(email=f"{key}@coop.test", name=name, business=business)
    with h.at():
        ids["makers"] = net.circles.form(name="Makers", purpose="We make things.")
        ids["repair"] = net.circles.form(name="Repair Café", purpose="We fix things.",
                                         parent_id=ids["makers"])
        for who in ("ann", "bo", "cy"):
            net.circles.admit(ids["makers"], ids[who])
        net.circles.admit(ids["repair"], ids["ann"])
        net.circles.admit(ids["repair"], ids["bo"])
        net.circles.grant_mandate(ids["makers"], domain="the workshop",
                                  decision="assembly of 5 January")
    with h.at():
        p = net.postings
        ids["bread"] = p.post_offer(title="Bread lessons", tags="baking, bread", by=ids["bo"])
        ids["saw"] = p.post_offer(title="Saw sharpening", tags="tools", circle_id=ids["makers"],
                                  by=ids["cy"])
        ids["old_offer"] = p.post_offer(title="Old offer", tags="baking", by=ids["bo"])
        ids["shelf"] = p.post_ask(title="Fix a shelf", tags="wood, tools", by=ids["ann"])
        ids["cake"] = p.post_ask(title="Birthday cake", tags="baking", by=ids["di"])
        ids["lamp"] = p.post_ask(title="Lamp repair", tags="electrics", circle_id=ids["repair"],
                                 by=ids["ann"])
        ids["gone_ask"] = p.post_ask(title="Never mind", tags="misc", by=ids["di"])
    with h.at():
        p.update_ask(ids["shelf"], title="Fix two shelves", description="oak",
                     tags="wood, carpentry", by=ids["ann"])
        p.withdraw_offer(ids["old_offer"], by=ids["bo"])
        p.withdraw_ask(ids["gone_ask"], by=ids["di"])
    g = net.gives
    with h.at():
        ids["shelf_give"] = g.record(receiver_id=ids["ann"], hours="2.5",
                                     description="two shelves", ask_id=ids["shelf"], by=ids["cy"])
        ids["cake_give"] = g.record(receiver_id=ids["di"], hours="3", description="a cake",
                                    ask_id=ids["cake"], by=ids["bo"])
        ids["bread_give"] = g.record(receiver_id=ids["ann"], hours="1.5", description="lesson",
                                     offer_id=ids["bread"], by=ids["bo"])
        ids["circle_give"] = g.record(receiver_id=ids["bo"], hours="1", description="sanding",
                                      circle_id=ids["makers"], by=ids["ann"])
        ids["loose_give"] = g.record(receiver_id=ids["cy"], hours="0.5", description="a chat",
                                     by=ids["di"])
    with h.at():
        g.confirm(ids["shelf_give"], by=ids["ann"])  # fulfils the shelf ask
        g.confirm(ids["circle_give"], by=ids["bo"])
        g.dispute(ids["bread_give"], reason="it was one hour", by=ids["ann"])
        g.confirm(ids["loose_give"], by=ids["cy"])
    with h.at():
        g.reverse(ids["loose_give"], reason="a mistake", by=ids["steward"])
    r = net.referrals
    with h.at():
        ids["ref_made"] = r.make(receiver_id=ids["bo"], prospect="Cafe One", need="bread",
                                 warmth=4, by=ids["ann"])
        ids["ref_accepted"] = r.make(receiver_id=ids["bo"], prospect="Cafe Two", need="cakes",
                                     warmth=3, by=ids["cy"])
        ids["ref_closed"] = r.make(receiver_id=ids["bo"], prospect="Cafe Three", need="rolls",
                                   warmth=5, by=ids["di"])
        ids["ref_thanked"] = r.make(receiver_id=ids["ann"], prospect="Archery Club",
                                    need="bows", warmth=2, by=ids["bo"])
        ids["ref_declined"] = r.make(receiver_id=ids["cy"], prospect="Big Corp", need="x",
                                     warmth=1, by=ids["bo"])
    with h.at():
        r.accept(ids["ref_accepted"], by=ids["bo"])
        r.accept(ids["ref_closed"], by=ids["bo"])
        r.close_business(ids["ref_closed"], value="250.00", currency="EUR", by=ids["bo"])
        r.accept(ids["ref_thanked"], by=ids["ann"])
        r.mark_lost(ids["ref_thanked"], reason="gone", by=ids["ann"])
        r.thank(ids["ref_thanked"], message="thanks", by=ids["ann"])
        r.decline(ids["ref_declined"], reason="too big", by=ids["cy"])
    with h.at():
        net.members.update_profile(ids["di"], name="Di Dyer-Weaver", business="Dyes",
                                   about="", by=ids["di"])
        net.circles.depart(ids["makers"], ids["cy"], by=ids["cy"])
        net.members.leave(ids["di"], reason="moving away", by=ids["di"])
        net.members.revoke_steward(ids["steward"])
    with h.at():
        ids["distribution"] = net.fairshare.distribute(
            ids["makers"], period_start="2026-01-01", period_end="2026-01-31",
            pool="100.00", currency="EUR", by=OPERATOR)
    return h


def assert_rebuild_equals_incremental(net: Network, name: str) -> None:
    """Build ``name`` in batches of three, rebuild it, and compare every row."""
    projection = net.projector.projection(name)
    net.projector.batch_size = 3
    net.projector.catch_up([name])
    live = rows_of(net.read_models, projection)
    assert all(live.values()), f"{name}: a table stayed empty, so the history misses a case"

    net.projector.rebuild(name)

    assert rows_of(net.read_models, projection) == live
