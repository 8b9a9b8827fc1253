"""Counting ballots: pure functions from rules and choices to a plain-dict tally.

One module per method (yes_no, consent, approval, irv, schulze), each with
``check_choice(raw, option_count)`` and ``count(rules, votes, electorate=, seed=,
objections=)``. The functions here put delegation in front of them. Nothing here reads
the log, the clock or a key: the same inputs always give the same tally, which is what
lets anyone recount a proposal from its events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any
from uuid import UUID

from domain.counting import approval, consent, irv, schulze, yes_no
from domain.counting.common import (
    APPROVAL,
    CONSENT,
    COUNTING_VERSION,
    IRV,
    SCHULZE,
    YES_NO,
    Rules,
    canonical,
)
from domain.delegation import DelegationEffect, resolve

__all__ = ["COUNTING_VERSION", "Rules", "check_choice", "count", "tally_ballots",
           "tally_mixed", "delegation_effect"]

METHOD_MODULES: dict[str, ModuleType] = {
    YES_NO: yes_no, CONSENT: consent, APPROVAL: approval, IRV: irv, SCHULZE: schulze,
}


def check_choice(rules: Rules, raw: object) -> Any:
    """Return the canonical form of a choice under these rules, or InvalidChoice."""
    return METHOD_MODULES[rules.method].check_choice(raw, len(rules.options))


def count(rules: Rules, votes: Sequence[Any], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Return the method's tally of these votes (each vote counts once)."""
    return METHOD_MODULES[rules.method].count(  # type: ignore[no-any-return]
        rules, votes, electorate=electorate, seed=seed, objections=objections)


def delegation_effect(rules: Rules, electorate: Iterable[UUID], voters: Iterable[UUID],
                      delegations: Mapping[UUID, UUID]) -> DelegationEffect:
    """Return the effect of the delegations, none when the rules do not allow them."""
    return resolve(electorate, voters, delegations if rules.delegation else {})


def tally_ballots(rules: Rules, *, electorate: Sequence[UUID], choices: Mapping[UUID, Any],
                  delegations: Mapping[UUID, UUID], seed: str,
                  objections: Sequence[dict[str, Any]] = ()) -> tuple[dict[str, Any], list[Any]]:
    """Return the tally of each voter's choice, and the mixed box.

    The mixed box is every counted vote (a voter's choice repeated for each vote they
    carry) in canonical order: what is left when a paper box is emptied on the table.
    """
    members = set(electorate)
    cast = {voter: choice for voter, choice in choices.items() if voter in members}
    effect = delegation_effect(rules, members, cast, delegations)
    mixed = sorted((c for v, c in cast.items() for _ in range(effect.weight(v))), key=canonical)
    return _tally(rules, mixed, electorate=len(members), voters=len(cast), effect=effect,
                  seed=seed, objections=objections), mixed


def tally_mixed(rules: Rules, *, electorate: Sequence[UUID], voters: Iterable[UUID],
                delegations: Mapping[UUID, UUID], mixed: Sequence[Any], seed: str,
                objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Return the tally of a mixed box (a secret ballot's choices, no longer by voter)."""
    voters = set(voters) & set(electorate)
    effect = delegation_effect(rules, electorate, voters, delegations)
    return _tally(rules, mixed, electorate=len(electorate), voters=len(voters), effect=effect,
                  seed=seed, objections=objections)


def _tally(rules: Rules, votes: Sequence[Any], *, electorate: int, voters: int,
           effect: DelegationEffect, seed: str,
           objections: Sequence[dict[str, Any]]) -> dict[str, Any]:
    tally = count(rules, votes, electorate=electorate, seed=seed, objections=objections)
    tally["ballots"] = voters
    tally["delegation"] = effect.summary(enabled=rules.delegation, secret=rules.secret)
    return tally
