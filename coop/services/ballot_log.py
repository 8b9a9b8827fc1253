"""Reading a proposal's ballots and its circle's delegations from the log, up to a cut.

A close records ``cut``, the log position up to which it counted. Reading the same
events up to the same position gives the recount exactly the ballots and delegations
the close saw, whatever was written afterwards. On PostgreSQL the library serialises
inserts so that positions are committed in order (gaps may exist, reordering does not):
nothing can later appear below a position already read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from coop.application import CoopApplication
from domain.ballot import Ballot
from domain.delegation import Delegation
from domain.proposal import Proposal

PAGE = 2000

BALLOT_TOPICS = (get_topic(Ballot.Cast), get_topic(Ballot.Changed))
DELEGATION_TOPICS = (get_topic(Delegation.Granted), get_topic(Delegation.Regranted),
                     get_topic(Delegation.Revoked))


@dataclass
class CastBallots:
    """The last choice of each voter (plain or sealed) and the delegations in force."""

    plain: dict[UUID, Any] = field(default_factory=dict)
    sealed: dict[UUID, str] = field(default_factory=dict)
    delegations: dict[UUID, UUID] = field(default_factory=dict)

    @property
    def voters(self) -> set[UUID]:
        return set(self.plain) | set(self.sealed)


def read_cast(app: CoopApplication, proposal: Proposal, *, upto: int) -> CastBallots:
    """Return the ballots of the proposal's electorate and the delegations among them,
    as they stood at log position ``upto``."""
    ballots = {Ballot.create_id(proposal.id, m): m for m in proposal.electorate}
    delegations = {Delegation.create_id(proposal.circle_id, m): m for m in proposal.electorate}
    cast = CastBallots()
    for notification in notifications(app, BALLOT_TOPICS + DELEGATION_TOPICS, upto=upto):
        member = ballots.get(notification.originator_id)
        if member is not None:
            event = app.mapper.to_domain_event(notification)
            cast.plain.pop(member, None)
            cast.sealed.pop(member, None)
            if event.sealed is not None:  # type: ignore[attr-defined]
                cast.sealed[member] = event.sealed  # type: ignore[attr-defined]
            else:
                cast.plain[member] = event.choice  # type: ignore[attr-defined]
            continue
        member = delegations.get(notification.originator_id)
        if member is not None:
            event = app.mapper.to_domain_event(notification)
            if isinstance(event, Delegation.Revoked):
                cast.delegations.pop(member, None)
            else:
                cast.delegations[member] = event.delegate  # type: ignore[attr-defined]
    return cast


def notifications(app: CoopApplication, topics: tuple[str, ...], *, upto: int | None = None,
                  after: int = 0) -> Iterator[Notification]:
    """Yield the log's notifications of these topics after ``after``, up to ``upto``."""
    start = after + 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE, stop=upto,
                                                 topics=list(topics))
        yield from page
        if len(page) < PAGE:
            return
        start = page[-1].id + 1
