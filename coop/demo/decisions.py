"""The demo year's governance: members delegate, draft, open, vote, object and decide.

Each proposal of ``coop.demo.agenda`` is played at its moments: drafted by its author,
opened under its rules, voted on by members of its frozen electorate over the voting
window (one of them changing their mind), objected to and answered, then closed by
the schedule (``close_due``) at its closing time, closed early by a steward, or
withdrawn. Open proposals close in 2027, after the demo year.

This module draws from its own random generator, so the rest of the year's story is
the same with or without it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from coop.demo.agenda import AGENDA, DELEGATIONS, Item
from coop.demo.days import END
from coop.demo.people import PEOPLE, Person
from coop.demo.stage import Stage
from domain.counting.common import APPROVAL, CONSENT, YES_NO

SEED = 20260101
BY_NAME = {p.name: p for p in PEOPLE}
# The last moment ballots on a proposal still open at the end of the year are cast.
LAST_BALLOTS = END - timedelta(days=1, hours=4)


@dataclass
class Docket:
    """What the governance acts share: their random generator, the proposals' ids and
    who delegates in each circle."""

    rng: random.Random
    ids: dict[int, UUID] = field(default_factory=dict)
    delegating: dict[str, dict[str, str]] = field(default_factory=dict)


def plan(stage: Stage) -> None:
    """Queue the delegations and every proposal's story."""
    docket = Docket(random.Random(SEED))
    for when, circle, delegator, delegate in DELEGATIONS:
        stage.at(when, delegate_vote, docket, circle, delegator, delegate)
    for n, item in enumerate(AGENDA):
        stage.at(item.drafted, draft, docket, n, item)


def _id(person: str) -> UUID:
    return Stage.id(BY_NAME[person])


def delegate_vote(stage: Stage, docket: Docket, circle: str, delegator: str,
                  delegate: str | None) -> None:
    circle_id = stage.circle_ids[circle]
    chosen = docket.delegating.setdefault(circle, {})
    if delegate is None:
        stage.net.delegations.revoke(circle_id, by=_id(delegator))
        chosen.pop(delegator, None)
    else:
        stage.net.delegations.grant(circle_id, _id(delegate), by=_id(delegator))
        chosen[delegator] = delegate


def draft(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    docket.ids[n] = stage.net.proposals.draft(
        circle_id=stage.circle_ids[item.circle], title=item.title, text=item.text,
        method=item.method, options=item.options, by=_id(item.author))
    if item.edited:
        stage.at(item.edited[0], edit, docket, n, item)
    if item.opens:
        stage.at(item.opens, open_voting, docket, n, item)
    elif item.withdrawn:
        stage.at(item.withdrawn[0], withdraw, docket, n, item)


def edit(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    assert item.edited
    stage.net.proposals.edit(docket.ids[n], title=item.title, text=item.edited[1],
                             method=item.method, options=item.options, by=_id(item.author))


def open_voting(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    """Open voting, then queue the ballots and how voting ends."""
    assert item.opens and item.closes
    net, pid = stage.net, docket.ids[n]
    net.proposals.open(pid, closes_at=item.closes, by=_id(item.author), **item.rules)
    ends = item.closes
    if item.closed_early:
        ends = item.closed_early[0]
        stage.at(ends, close_early, docket, n, item.closed_early[1])
    elif item.withdrawn:
        ends = item.withdrawn[0]
        stage.at(ends, withdraw, docket, n, item)
    elif item.closes < END:
        stage.at(item.closes + timedelta(minutes=4, seconds=docket.rng.randrange(60)),
                 close_due)
    window = (item.opens + timedelta(minutes=40), min(ends, LAST_BALLOTS) - timedelta(hours=2))
    voters = _voters(stage, docket, item, set(net.proposals.get(pid)["electorate"]))
    for number, (person, choice) in enumerate(zip(voters, item.votes, strict=False)):
        moment = _moment(docket.rng, *window)
        if number == 0 and len(voters) >= 4 and item.method != CONSENT:
            # Someone changes their mind before the close.
            stage.at(moment, cast, docket, n, person, first_thought(item, choice))
            moment = _moment(docket.rng, moment + timedelta(hours=1), window[1])
        stage.at(moment, cast, docket, n, person, choice)
    if item.objection:
        _plan_objection(stage, docket, n, item)


def _voters(stage: Stage, docket: Docket, item: Item, electorate: set[UUID]) -> list[Person]:
    """Return who votes, in the order the listed votes are given to them."""
    skip = set(item.not_voting) | ({item.objection.by} if item.objection else set())
    if item.rules.get("delegation"):
        skip |= set(docket.delegating.get(item.circle, {}))  # their delegate votes
    people = [p for p in PEOPLE if stage.id(p) in electorate and p.name not in skip]
    docket.rng.shuffle(people)
    return people[:len(item.votes)]


def _plan_objection(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    assert item.objection and item.opens
    o = item.objection
    objected = item.opens + timedelta(days=1, hours=2, minutes=docket.rng.randrange(50))
    stage.at(objected, cast, docket, n, BY_NAME[o.by], "object", o.reason)
    if o.resolution:
        answered = objected + timedelta(days=2, hours=3)
        stage.at(answered, resolve, docket, n, item)
        if o.then_consents:
            stage.at(answered + timedelta(hours=20), cast, docket, n, BY_NAME[o.by],
                     "consent")


def cast(stage: Stage, docket: Docket, n: int, person: Person, choice: Any,
         reason: str = "") -> None:
    stage.net.ballots.cast(docket.ids[n], choice, reason=reason, by=stage.id(person))


def resolve(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    o = item.objection
    assert o and o.resolution
    stage.net.proposals.resolve_objection(
        docket.ids[n], 1, how=o.resolution, amended_text=o.answer if o.resolution ==
        "amended" else "", note=o.note if o.resolution == "amended" else o.answer,
        by=_id(item.author))


def close_early(stage: Stage, docket: Docket, n: int, steward: str) -> None:
    stage.net.proposals.close_early(docket.ids[n], by=_id(steward))


def close_due(stage: Stage) -> None:
    """The schedule (cron's `coop proposals close-due`) closes what is due."""
    stage.net.proposals.close_due(stage.now)


def withdraw(stage: Stage, docket: Docket, n: int, item: Item) -> None:
    assert item.withdrawn
    stage.net.proposals.withdraw(docket.ids[n], reason=item.withdrawn[1],
                                 by=_id(item.author))


def first_thought(item: Item, choice: Any) -> Any:
    """Return a choice other than ``choice``, cast first and changed later."""
    if item.method == YES_NO:
        return "abstain" if choice != "abstain" else "yes"
    if item.method == APPROVAL:
        return [i for i in range(len(item.options)) if i not in choice][:1]
    return list(reversed(choice)) if len(choice) > 1 else [
        i for i in range(len(item.options)) if i not in choice][:1]


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """Return a moment between ``start`` and ``end``, in daytime where there is room."""
    span = int((end - start).total_seconds())
    for _ in range(5):
        moment = start + timedelta(seconds=rng.randrange(max(span, 1)))
        if 7 <= moment.hour <= 21:
            return moment
    return moment
