"""Delegation: a member lets another member of the same circle vote for them.

One Delegation per (circle, delegator), so a member has at most one delegate in a
circle at a time. Whether it counts is decided per proposal (off by default), with the
delegations in force when the proposal closes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import InvalidValue, NotAllowed, StateConflict


class Delegation(CoopAggregate):
    """Granted, then regranted (to the same or another member) or revoked."""

    @staticmethod
    def create_id(circle_id: UUID, delegator: UUID) -> UUID:  # type: ignore[override]
        return uuid5(circle_id, str(delegator))

    @classmethod
    def grant(cls, *, circle_id: UUID, delegator: UUID, delegate: UUID, by: UUID) -> Delegation:
        """Return a new delegation from ``delegator`` to ``delegate`` in the circle."""
        _check(delegator, delegate, by)
        return cls._create(cls.Granted, id=cls.create_id(circle_id, delegator),
                           circle_id=circle_id, delegator=delegator, delegate=delegate, by=by)

    class Granted(CoopAggregate.Created):
        circle_id: UUID
        delegator: UUID
        delegate: UUID
        by: UUID

    @event(Granted)
    def __init__(self, *, circle_id: UUID, delegator: UUID, delegate: UUID, by: UUID):
        self.circle_id = circle_id
        self.delegator = delegator
        self.delegate: UUID | None = delegate

    def regrant(self, *, delegate: UUID, by: UUID) -> None:
        """Delegate again, after a revocation or to another member."""
        _check(self.delegator, delegate, by)
        if self.delegate == delegate:
            raise StateConflict("your vote is already delegated to that member")
        self._regrant(delegate=delegate, by=by)

    @event("Regranted")
    def _regrant(self, *, delegate: UUID, by: UUID) -> None:
        self.delegate = delegate

    def revoke(self, *, by: UUID) -> None:
        if by != self.delegator:
            raise NotAllowed("only the member who delegated may revoke the delegation")
        if self.delegate is None:
            raise StateConflict("your vote is not delegated in this circle")
        self._revoke(by=by)

    @event("Revoked")
    def _revoke(self, *, by: UUID) -> None:
        self.delegate = None


def _check(delegator: UUID, delegate: UUID, by: UUID) -> None:
    if by != delegator:
        raise NotAllowed("only members themselves delegate their vote")
    if delegate == delegator:
        raise InvalidValue("one cannot delegate one's vote to oneself")


@dataclass(frozen=True)
class DelegationEffect:
    """Whose votes each voter carries, and whose found no voter."""

    carried: dict[UUID, list[UUID]] = field(default_factory=dict)
    lost: list[UUID] = field(default_factory=list)

    @property
    def delegated_votes(self) -> int:
        return sum(len(d) for d in self.carried.values())

    def weight(self, voter: UUID) -> int:
        """Return how many votes a voter's ballot counts for: theirs and those delegated."""
        return 1 + len(self.carried.get(voter, []))

    def summary(self, *, enabled: bool, secret: bool) -> dict[str, Any]:
        """Return the tally's delegation figures; who carried whose vote is left out
        of a secret ballot's tally."""
        figures: dict[str, Any] = {
            "enabled": enabled, "delegated_votes": self.delegated_votes, "lost": len(self.lost),
        }
        if not secret:
            figures["transfers"] = sorted(
                ({"from": str(d), "to": str(v)} for v, ds in self.carried.items() for d in ds),
                key=lambda t: (t["to"], t["from"]),
            )
        return figures


def resolve(electorate: Iterable[UUID], voters: Iterable[UUID],
            delegations: Mapping[UUID, UUID]) -> DelegationEffect:
    """Return where the votes of electorate members who did not vote go.

    A member who voted counts for themself (a direct vote overrides their delegation).
    A member who did not vote counts for the first voter along their chain of
    delegations; a chain that comes back on itself (a cycle) or ends with a member who
    neither voted nor delegated counts for nobody. Only delegations between members of
    the electorate are followed.
    """
    members = set(electorate)
    voted = set(voters) & members
    links = {a: b for a, b in delegations.items() if a in members and b in members}
    carried: dict[UUID, list[UUID]] = {}
    lost: list[UUID] = []
    for member in sorted(members - voted, key=str):
        if member not in links:
            continue
        seen = {member}
        step = links[member]
        while step not in voted and step in links and step not in seen:
            seen.add(step)
            step = links[step]
        if step in voted:
            carried.setdefault(step, []).append(member)
        else:
            lost.append(member)
    return DelegationEffect(carried=carried, lost=lost)
