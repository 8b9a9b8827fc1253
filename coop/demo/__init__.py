"""Load a deterministic demo network: a year in the life of a small cooperative.

``load(net)`` plays twelve months, 2025-11-01 to 2026-10-31 UTC, into an empty store
through the public services, each act by the member who would do it and at the
moment it happens, so the log reads like a real network's history: 34 members with
small businesses, four circles (one nested), offers, asks, gives in every status,
referrals in every state, and proposals of every voting method in every state
(coop.demo.decisions; some still open, closing in 2027). The same seed gives the
same story every time; only the ids of offers, asks, gives, referrals, circles and
proposals (uuid4), and the sealed ballots, differ between loads.

Signing in to look around (every demo member's password is ``DEMO_PASSWORD``):

- ``DEMO_STEWARD_EMAIL`` (ada.okafor@demo.coop.example): Ada Okafor, bookkeeper and
  the network's first steward; in Riverside Makers and Food & Hospitality.
- ``DEMO_MEMBER_EMAIL`` (mateo.alvarez@demo.coop.example): Mateo Álvarez, a joiner
  and the busiest member who is not a steward; in Riverside Makers and its
  Riverside Repair Café.
"""

from __future__ import annotations

import random
from collections import Counter

from eventsourcing.utils import get_topic

from coop.bootstrap import Network
from coop.demo import decisions, year
from coop.demo.people import CIRCLES, PEOPLE
from coop.demo.stage import Record, Stage
from domain import clock
from domain.ballot import Ballot
from domain.errors import StateConflict
from projections.listing import Paging

DEMO_STEWARD_EMAIL = "ada.okafor@demo.coop.example"
DEMO_MEMBER_EMAIL = "mateo.alvarez@demo.coop.example"
# Every demo member signs in with this password. It is printed by `coop demo` and
# `coop serve`: the demo network is for looking around, never for real members.
DEMO_PASSWORD = "coop-demo-password"

SEED = 20251101  # changing it tells a different story
BALLOTS_CAST = (get_topic(Ballot.Cast),)


class DemoNeedsEmptyStore(StateConflict):
    """The demo would mix with real events; it loads only into an empty store."""


def load(net: Network) -> dict[str, int]:
    """Play the demo year into ``net``'s empty store; return what it holds, by label."""
    events = net.app.last_position()
    if events > 0:
        fresh = ("an empty database" if net.settings.backend == "postgres"
                 else "a fresh COOP_DATA_DIR")
        raise DemoNeedsEmptyStore(
            f"the demo loads only into an empty store; this one already has {events} "
            f"event{'' if events == 1 else 's'} (use {fresh})"
        )
    stage = Stage(net, random.Random(SEED))
    year.plan(stage)
    decisions.plan(stage)
    stage.play()
    for person in PEOPLE:
        net.accounts.set_password(net.members.id_for_email(person.email), DEMO_PASSWORD)
    return summarise(net, stage.record)


def summarise(net: Network, record: Record) -> dict[str, int]:
    """Return counts read back from the store, in the order a person would ask."""
    members = [net.members.get(net.members.id_for_email(p.email)) for p in PEOPLE]
    gives = Counter(net.gives.get(g)["status"] for g in record.gives)
    referrals = Counter(net.referrals.get(r)["status"] for r in record.referrals)
    return {
        "members": len(members),
        "stewards": sum("steward" in m["roles"] for m in members),
        "circles": len(CIRCLES),
        "offers": len(record.offers),
        "asks": len(record.asks),
        "fulfilled asks": sum(net.postings.get_ask(a)["fulfilled_by"] is not None
                              for a in record.asks),
        "gives": len(record.gives),
        "confirmed gives": gives["confirmed"],
        "pending gives": gives["pending"],
        "disputed gives": gives["disputed"],
        "reversed gives": gives["reversed"],
        "referrals": len(record.referrals),
        "referrals closed as business": referrals["business_closed"],
        **summarise_decisions(net),
        "events in the log": count_events(net),
    }


def summarise_decisions(net: Network) -> dict[str, int]:
    """Return the proposals by state and outcome, read back from the decision views."""
    sections = net.decisions.counts()
    outcomes = [o["outcome"] for o in net.decisions.section(
        "outcomes", Paging(1, 100), now=clock.now()).items]
    return {
        "proposals": sum(sections.values()),
        "open proposals": sections["open"],
        "draft proposals": sections["drafts"],
        "proposals passed or decided": sum(o != "failed" for o in outcomes),
        "proposals failed": outcomes.count("failed"),
        "withdrawn proposals": sections["withdrawn"],
        "ballots": count_events(net, BALLOTS_CAST),
    }


def count_events(net: Network, topics: tuple[str, ...] = ()) -> int:
    """Count the log's events, or those of ``topics`` (positions may have gaps on
    PostgreSQL)."""
    count, start = 0, 1
    while page := net.app.recorder.select_notifications(start=start, limit=1000,
                                                        topics=list(topics)):
        count += len(page)
        start = page[-1].id + 1
    return count
