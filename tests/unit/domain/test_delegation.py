"""Delegation: transitive, overridden by a direct vote, cycles count for nobody."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.delegation import Delegation, resolve
from domain.errors import InvalidValue, NotAllowed, StateConflict

A, B, C, D, E = (UUID(int=i) for i in range(1, 6))
EVERYONE = [A, B, C, D, E]


def test_a_vote_follows_the_chain_to_the_first_member_who_voted() -> None:
    effect = resolve(EVERYONE, voters={C}, delegations={A: B, B: C})
    assert effect.carried == {C: [A, B]}
    assert (effect.weight(C), effect.delegated_votes) == (3, 2)


def test_voting_directly_overrides_ones_delegation() -> None:
    effect = resolve(EVERYONE, voters={A, B}, delegations={A: B})
    assert effect.carried == {} and effect.weight(A) == 1 and effect.weight(B) == 1


def test_a_cycle_counts_for_nobody() -> None:
    effect = resolve(EVERYONE, voters={D}, delegations={A: B, B: C, C: A, E: A})
    assert effect.carried == {}
    assert sorted(effect.lost) == [A, B, C, E]


def test_a_chain_ending_with_someone_who_did_not_vote_is_lost() -> None:
    effect = resolve(EVERYONE, voters={D}, delegations={A: B})
    assert (effect.carried, effect.lost) == ({}, [A])


def test_only_delegations_within_the_electorate_count() -> None:
    outsider = uuid4()
    effect = resolve([A, B], voters={B}, delegations={A: outsider, outsider: B})
    assert effect.carried == {} and effect.lost == []


def test_secret_tallies_show_the_number_of_delegated_votes_not_who_carried_them() -> None:
    effect = resolve(EVERYONE, voters={C}, delegations={A: C})
    assert effect.summary(enabled=True, secret=True) == {
        "enabled": True, "delegated_votes": 1, "lost": 0}
    assert effect.summary(enabled=True, secret=False)["transfers"] == [
        {"from": str(A), "to": str(C)}]


def test_granted_regranted_revoked_by_the_delegator_only() -> None:
    circle = uuid4()
    d = Delegation.grant(circle_id=circle, delegator=A, delegate=B, by=A)
    assert d.id == Delegation.create_id(circle, A)
    with pytest.raises(InvalidValue):
        d.regrant(delegate=A, by=A)
    with pytest.raises(StateConflict):
        d.regrant(delegate=B, by=A)
    with pytest.raises(NotAllowed):
        d.revoke(by=B)
    d.revoke(by=A)
    assert d.delegate is None
    d.regrant(delegate=C, by=A)
    assert d.delegate == C
    with pytest.raises(NotAllowed):
        Delegation.grant(circle_id=circle, delegator=A, delegate=B, by=B)
