"""The demo year's everyday activity, month by month.

Members ask for help and are helped, take up each other's offers, help within
their circles, and pass business on. The volume follows the seasons: quiet over
the winter holidays and in August, busiest in spring and early autumn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone

from coop.demo import founding, gives, referrals
from coop.demo.catalogue import ASK_UPDATES, CIRCLE_GIVES, NETWORK_GIVES, TRADES
from coop.demo.days import at_hour, months, nth_weekday, some_day
from coop.demo.gives import Give
from coop.demo.people import Person
from coop.demo.stage import Deck, Posted, Stage

# Everyday activity starts once the founding members have settled in.
ACTIVITY_STARTS = date(2025, 11, 14)
SEASON = {11: 0.6, 12: 0.7, 1: 1.0, 2: 1.0, 3: 1.1, 4: 1.1, 5: 1.2, 6: 1.1, 7: 0.9,
          8: 0.6, 9: 1.2, 10: 1.0}
PER_MONTH = {"ask": 14, "take up an offer": 12, "help in a circle": 9,
             "help anyone": 5, "refer": 11}


def plan(stage: Stage) -> None:
    """Queue the founding and a year of everyday acts."""
    founding.plan(stage)
    referrals.plan(stage)
    stage.unusual_gives = gives.deal_unusual_fates(stage)
    stage.decks["ask"] = Deck(stage.rng, {"answered": 12, "updated then answered": 2,
                                          "withdrawn": 3, "open": 2, "updated": 1})
    everyday = {"ask": ask, "take up an offer": take_up_offer,
                "help in a circle": help_in_circle, "help anyone": help_anyone,
                "refer": referrals.refer}
    for first, last in months():
        first = max(first, ACTIVITY_STARTS)
        for kind, act in everyday.items():
            for _ in range(round(PER_MONTH[kind] * SEASON[first.month])):
                stage.at(at_hour(some_day(first, last, stage.rng), stage.rng), act)
        if first.month != 11:  # the Repair Café opens in December
            session = nth_weekday(first.replace(day=1), 5, 2)
            stage.at(datetime.combine(session, time(13, 10), tzinfo=timezone.utc),
                     repair_cafe)


def ask(stage: Stage) -> None:
    """A member asks for help from a trade other than their own."""
    asker = stage.pick(stage.joined)
    if asker is None:
        return
    helpers = [p for p in stage.joined if p.trade != asker.trade]
    trade = stage.choice(list(dict.fromkeys(p.trade for p in helpers)))
    title, description, tags, answer = stage.choice(TRADES[trade].asks)
    shared = list(dict.fromkeys(
        key for p in helpers if p.trade == trade for key in stage.shared_circles(asker, p)))
    circle = stage.choice(shared) if shared and stage.rng.random() < 0.4 else None
    ask_id = stage.net.postings.post_ask(title=title, description=description, tags=tags,
                                         circle_id=stage.circle_id(circle),
                                         by=stage.id(asker))
    stage.record.asks.append(ask_id)
    posted = Posted(ask_id, asker, title, description, tags, circle, answer, trade)
    fate = stage.decks["ask"].draw()
    if fate.startswith("updated"):
        stage.after(1, 4, update_ask, posted, fate)
    elif fate == "answered":
        stage.after(2, 12, answer_ask, posted)
    elif fate == "withdrawn":
        stage.after(5, 30, withdraw_ask, posted)


def update_ask(stage: Stage, posted: Posted, fate: str) -> None:
    posted.description = f"{posted.description} {stage.choice(ASK_UPDATES)}"
    stage.net.postings.update_ask(posted.id, title=posted.title,
                                  description=posted.description, tags=posted.tags,
                                  by=stage.id(posted.author))
    if fate == "updated then answered":
        stage.after(2, 10, answer_ask, posted)


def withdraw_ask(stage: Stage, posted: Posted) -> None:
    stage.net.postings.withdraw_ask(posted.id, by=stage.id(posted.author))


def answer_ask(stage: Stage, posted: Posted) -> None:
    """Someone of the right trade helps, within the ask's circle when it has one."""
    helpers = [p for p in stage.joined if p.trade == posted.trade and p != posted.author]
    in_circle = [p for p in helpers if p in stage.circle_members.get(posted.circle or "", [])]
    giver = stage.pick(in_circle or helpers)
    if giver is None:
        return
    gives.give(stage, Give(giver, posted.author, gives.hours(stage), posted.answer,
                           ask_id=posted.id, circle=posted.circle if in_circle else None))


def take_up_offer(stage: Stage) -> None:
    """A member takes up an open offer; the one who offered records the give."""
    offer = stage.pick_offer()
    if offer is None:
        return
    people = stage.circle_members[offer.circle] if offer.circle else stage.joined
    receiver = stage.pick(people, but=(offer.author,))
    if receiver is None:
        return
    gives.give(stage, Give(offer.author, receiver, gives.hours(stage), offer.title,
                           offer_id=offer.id, circle=offer.circle))


def help_in_circle(stage: Stage) -> None:
    key = stage.choice(["riverside", "riverside", "digital", "food"])
    _help(stage, stage.circle_members[key], CIRCLE_GIVES[key], key)


def help_anyone(stage: Stage) -> None:
    giver = stage.pick(stage.joined)
    if giver is not None:
        _help(stage, stage.joined, TRADES[giver.trade].gives + NETWORK_GIVES, None, giver)


def repair_cafe(stage: Stage) -> None:
    """After each monthly session, a few volunteers record the help they gave each other."""
    for n in range(stage.rng.randint(2, 4)):
        stage.at(stage.now + timedelta(minutes=25 * n + stage.rng.randrange(20)),
                 _help, stage.circle_members["repair"], CIRCLE_GIVES["repair"], "repair")


def _help(stage: Stage, people: Sequence[Person], descriptions: tuple[str, ...],
          circle: str | None, giver: Person | None = None) -> None:
    giver = giver or stage.pick(people)
    receiver = stage.pick(people, but=(giver,)) if giver else None
    if giver is None or receiver is None:
        return
    description = stage.choice(descriptions).format(receiver=receiver.first_name)
    gives.give(stage, Give(giver, receiver, gives.hours(stage, at_most="3"), description,
                           circle=circle))
