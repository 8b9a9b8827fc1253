"""The network's founding and growth: members join, circles form, offers go up.

Two stewards set the network up on its first Saturday; founding members join in the
first week, the rest month by month; each is admitted to their circles and posts
their offers over the following weeks.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from coop.demo.catalogue import OFFER_UPDATES
from coop.demo.days import START, at_hour, some_day
from coop.demo.people import CIRCLES, PEOPLE, CircleSpec, Offer, Person
from coop.demo.stage import Deck, Posted, Stage

# The network assembly that granted the first mandates.
ASSEMBLY = datetime(2025, 11, 12, 19, 40, tzinfo=timezone.utc)


def plan(stage: Stage) -> None:
    """Queue the founding: stewards, circles, members, mandates."""
    stage.decks["offer"] = Deck(stage.rng, {"stay": 6, "update": 2, "withdraw": 1,
                                            "update then withdraw": 1})
    moment = START + timedelta(hours=10, minutes=4)
    for person in (p for p in PEOPLE if p.steward):
        stage.at(moment, add_steward, person)
        moment += timedelta(minutes=7, seconds=31)
    for spec in CIRCLES:
        moment += timedelta(minutes=11, seconds=17)
        stage.at(moment, form_circle, spec)
    for person in (p for p in PEOPLE if not p.steward):
        stage.at(at_hour(_join_day(person, stage), stage.rng), add_member, person)
    for n, spec in enumerate(s for s in CIRCLES if s.mandate):
        stage.at(ASSEMBLY + timedelta(minutes=23 * n), grant_mandate, spec)


def _join_day(person: Person, stage: Stage) -> date:
    if person.joins == "founding":
        return some_day(date(2025, 11, 3), date(2025, 11, 7), stage.rng)
    first = date.fromisoformat(f"{person.joins}-01")
    return some_day(first, first + timedelta(days=19), stage.rng)


def add_steward(stage: Stage, person: Person) -> None:
    # The operator at the command line makes the first stewards; they do the rest.
    stage.net.members.add(email=person.email, name=person.name, business=person.business,
                          steward=True)
    stage.stewards.append(person)
    _joined(stage, person)


def add_member(stage: Stage, person: Person) -> None:
    stage.net.members.add(email=person.email, name=person.name, business=person.business,
                          by=stage.steward())
    _joined(stage, person)


def _joined(stage: Stage, person: Person) -> None:
    stage.joined.append(person)
    if person.about:
        stage.after(1, 20, write_profile, person)
    if person.circles:
        stage.after(1, 5, admit, person, 0)
    else:
        _plan_offers(stage, person)


def write_profile(stage: Stage, person: Person) -> None:
    stage.net.members.update_profile(stage.id(person), name=person.name,
                                     business=person.business, about=person.about,
                                     by=stage.id(person))


def form_circle(stage: Stage, spec: CircleSpec) -> None:
    stage.circle_ids[spec.key] = stage.net.circles.form(
        name=spec.name, purpose=spec.purpose, parent_id=stage.circle_id(spec.parent),
        by=stage.steward(),
    )
    stage.circle_members[spec.key] = []


def admit(stage: Stage, person: Person, index: int) -> None:
    """Admit ``person`` to their circles one by one, parents before nested circles."""
    key = person.circles[index]
    stage.net.circles.admit(stage.circle_ids[key], stage.id(person), by=stage.steward())
    stage.circle_members[key].append(person)
    if index + 1 < len(person.circles):
        stage.after(0, 3, admit, person, index + 1)
    else:
        _plan_offers(stage, person)


def grant_mandate(stage: Stage, spec: CircleSpec) -> None:
    assert spec.mandate
    domain, decision = spec.mandate
    stage.net.circles.grant_mandate(stage.circle_ids[spec.key], domain=domain,
                                    decision=decision, by=stage.id(stage.stewards[0]))


def _plan_offers(stage: Stage, person: Person) -> None:
    # A first offer within a fortnight, the others spread over the following months.
    for n, offer in enumerate(person.offers):
        stage.after(1 + 40 * n, 14 + 60 * n, post_offer, person, offer)


def post_offer(stage: Stage, person: Person, offer: Offer) -> None:
    title, description, tags, circle = offer
    offer_id = stage.net.postings.post_offer(
        title=title, description=description, tags=tags,
        circle_id=stage.circle_id(circle), by=stage.id(person))
    posted = Posted(offer_id, person, title, description, tags, circle)
    stage.open_offers.append(posted)
    stage.record.offers.append(offer_id)
    fate = stage.decks["offer"].draw()
    if fate.startswith("update"):
        stage.after(20, 120, update_offer, posted, fate)
    elif fate == "withdraw":
        stage.after(30, 200, withdraw_offer, posted)


def update_offer(stage: Stage, offer: Posted, fate: str) -> None:
    offer.description = f"{offer.description} {stage.choice(OFFER_UPDATES)}"
    stage.net.postings.update_offer(offer.id, title=offer.title,
                                    description=offer.description, tags=offer.tags,
                                    by=stage.id(offer.author))
    if fate == "update then withdraw":
        stage.after(20, 90, withdraw_offer, offer)


def withdraw_offer(stage: Stage, offer: Posted) -> None:
    stage.net.postings.withdraw_offer(offer.id, by=stage.id(offer.author))
    stage.open_offers.remove(offer)
