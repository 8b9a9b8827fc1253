"""Gives in the demo year, and what their receivers (and stewards) make of them.

Most gives are confirmed within a week. A handful, spread over the year, take
another path so that every status shows up in the portal: disputed and left so,
disputed then confirmed after a talk, reversed by a steward (a duplicate that had
been confirmed, a give recorded for the wrong member, paid work), or never answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from coop.demo.catalogue import DISPUTE_REASONS
from coop.demo.people import Person
from coop.demo.stage import Stage

# The unusual fates, dealt to gives picked at random among the first few hundred
# (re-recorded and duplicate gives are not dealt a fate).
UNUSUAL = ("disputed", "disputed", "disputed", "disputed", "disputed",
           "disputed then confirmed", "disputed then confirmed",
           "reversed after dispute", "duplicate", "wrong member",
           "unanswered", "unanswered", "unanswered")
UNUSUAL_AMONG = range(12, 380)  # ordinals of recorded gives the unusual fates go to

# Hours of a give and how common they are: mostly an hour or two, now and then a day.
HOURS = {"0.5": 3, "0.75": 2, "1": 6, "1.25": 1, "1.5": 5, "2": 6, "2.5": 3, "3": 4,
         "3.5": 1, "4": 3, "4.5": 1, "5": 1, "6": 1, "7.5": 1, "8": 1}


@dataclass
class Give:
    """A give about to be recorded, as the demo remembers it."""

    giver: Person
    receiver: Person
    hours: Decimal
    description: str
    ask_id: UUID | None = None
    offer_id: UUID | None = None
    circle: str | None = None


def deal_unusual_fates(stage: Stage) -> dict[int, str]:
    ordinals = sorted(stage.rng.sample(UNUSUAL_AMONG, len(UNUSUAL)))
    fates = list(UNUSUAL)
    stage.rng.shuffle(fates)
    return dict(zip(ordinals, fates))


def hours(stage: Stage, *, at_most: str = "8") -> Decimal:
    """Return plausible hours for a give; a quick favour takes ``at_most`` a few."""
    choices = [h for h in HOURS if Decimal(h) <= Decimal(at_most)]
    return Decimal(stage.rng.choices(choices, weights=[HOURS[h] for h in choices])[0])


def give(stage: Stage, g: Give, fate: str | None = None) -> None:
    """Record a give and queue what happens to it next."""
    if fate is None:
        fate = stage.unusual_gives.get(stage.gives_dealt, "confirmed")
        stage.gives_dealt += 1
    if g.offer_id and all(o.id != g.offer_id for o in stage.open_offers):
        g.offer_id = None  # withdrawn since: the give no longer answers it
    if fate == "wrong member":
        wrong = stage.pick(stage.joined, but=(g.giver, g.receiver))
        if wrong is not None:
            mistaken = Give(g.giver, wrong, g.hours, g.description)
            stage.after(1, 4, reverse, _save(stage, mistaken), mistaken,
                        f"Recorded for the wrong member; {g.giver.first_name} "
                        f"re-recorded it for {g.receiver.first_name}", g)
            return
        fate = "confirmed"
    give_id = _save(stage, g)
    if fate == "confirmed":
        stage.after(0, 6, confirm, give_id, g)
    elif fate == "duplicate":
        stage.soon(6, record_duplicate, g, give_id)
    elif fate != "unanswered":
        stage.after(1, 6, dispute, give_id, g, fate)


def _save(stage: Stage, g: Give) -> UUID:
    give_id = stage.net.gives.record(
        receiver_id=stage.id(g.receiver), hours=g.hours, description=g.description,
        ask_id=g.ask_id, offer_id=g.offer_id, circle_id=stage.circle_id(g.circle),
        by=stage.id(g.giver))
    stage.record.gives.append(give_id)
    return give_id


def confirm(stage: Stage, give_id: UUID, g: Give) -> None:
    stage.net.gives.confirm(give_id, by=stage.id(g.receiver))


def dispute(stage: Stage, give_id: UUID, g: Give, fate: str) -> None:
    if fate == "reversed after dispute":
        reason = "This was paid work, so I'd rather it wasn't a give"
    else:
        agreed = (g.hours / 2).to_integral_value(ROUND_HALF_UP)
        reasons = DISPUTE_REASONS if g.hours >= 2 else DISPUTE_REASONS[1:]
        reason = stage.choice(reasons).format(
            agreed="an hour" if agreed == 1 else f"{agreed} hours",
            hours=f"{g.hours.normalize():f}")
    stage.net.gives.dispute(give_id, reason=reason, by=stage.id(g.receiver))
    if fate == "disputed then confirmed":
        stage.after(2, 10, confirm, give_id, g)
    elif fate == "reversed after dispute":
        stage.after(3, 14, reverse, give_id, g,
                    "Paid work, invoiced separately: not a give (agreed with both members)")


def record_duplicate(stage: Stage, g: Give, first_id: UUID) -> None:
    """The giver records the same give twice; both are confirmed, a steward reverses one."""
    second_id = _save(stage, g)
    stage.after(1, 5, confirm_both, first_id, second_id, g)


def confirm_both(stage: Stage, first_id: UUID, second_id: UUID, g: Give) -> None:
    confirm(stage, first_id, g)
    stage.soon(1, confirm, second_id, g)
    stage.after(7, 20, reverse, second_id, g,
                "Recorded twice by mistake; the first entry stands (checked with both members)")


def reverse(stage: Stage, give_id: UUID, g: Give, reason: str,
            recorded_again: Give | None = None) -> None:
    stage.net.gives.reverse(give_id, reason=reason, by=stage.steward(but=(g.giver, g.receiver)))
    if recorded_again is not None:
        stage.soon(35, give, recorded_again, "confirmed")
