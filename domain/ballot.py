"""A ballot: one member's choice on one proposal, changeable until the proposal closes.

The id is derived from (proposal, voter), so a second ballot by the same voter on the
same proposal cannot exist: casting again changes the one ballot. Whether the proposal
still takes ballots, and from whom, is checked against the proposal by the service.

A ballot carries either the plain ``choice`` (an open vote) or, on a secret proposal,
only ``sealed``: the choice encrypted under the proposal's key. Who voted is public (it
keeps one ballot per voter checkable); what a secret ballot says is not.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import NotAllowed


class Ballot(CoopAggregate):
    """Cast once, then Changed any number of times before close."""

    @staticmethod
    def create_id(proposal_id: UUID, voter_id: UUID) -> UUID:  # type: ignore[override]
        return uuid5(proposal_id, str(voter_id))

    @classmethod
    def cast(cls, *, proposal_id: UUID, choice: Any = None, sealed: str | None = None,
             by: UUID) -> Ballot:
        """Return the voter's (``by``) ballot on the proposal."""
        _check_one_of(choice, sealed)
        return cls._create(cls.Cast, id=cls.create_id(proposal_id, by),
                           proposal_id=proposal_id, choice=choice, sealed=sealed, by=by)

    class Cast(CoopAggregate.Created):
        proposal_id: UUID
        choice: Any
        sealed: str | None
        by: UUID

    @event(Cast)
    def __init__(self, *, proposal_id: UUID, choice: Any, sealed: str | None, by: UUID):
        self.proposal_id = proposal_id
        self.voter = by
        self.choice = choice
        self.sealed = sealed

    def change(self, *, choice: Any = None, sealed: str | None = None, by: UUID) -> None:
        if by != self.voter:
            raise NotAllowed("only the voter changes their ballot")
        _check_one_of(choice, sealed)
        self._change(choice=choice, sealed=sealed, by=by)

    @event("Changed")
    def _change(self, *, choice: Any, sealed: str | None, by: UUID) -> None:
        self.choice = choice
        self.sealed = sealed


def _check_one_of(choice: Any, sealed: str | None) -> None:
    if (choice is None) == (sealed is None):
        # A programming error: the service decides which, by the proposal's secrecy.
        raise ValueError("a ballot carries either a plain choice or a sealed one")
