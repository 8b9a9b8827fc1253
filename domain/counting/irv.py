"""Ranked choice by instant runoff.

Round by round: each ballot counts for its highest-ranked option still in the count; a
ballot ranking none of them is exhausted and leaves the count. An option with more than
half of the continuing (not exhausted) ballots wins. Otherwise the option with the fewest
votes is eliminated, one per round; a tie for the fewest eliminates the tied option that
comes last in the seeded order. If every ballot is exhausted there is no winner. Each
round's counts are recorded (an eliminated option shows as null).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from domain.counting.common import (
    FAILED,
    WINNER,
    Rules,
    check_ranking,
    last_in_order,
    seeded_order,
    turnout,
)

check_choice = check_ranking


def count(rules: Rules, votes: Sequence[list[int]], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    n = len(rules.options)
    order = seeded_order(seed, n)
    # Identical rankings are counted together: a few hundred kinds for thousands of ballots.
    kinds = Counter(tuple(v) for v in votes)
    continuing = set(range(n))
    rounds: list[dict[str, Any]] = []
    winner = None
    while True:
        counts = [0] * n
        exhausted = 0
        for ranking, weight in kinds.items():
            top = next((o for o in ranking if o in continuing), None)
            if top is None:
                exhausted += weight
            else:
                counts[top] += weight
        active = sum(counts)
        row: dict[str, Any] = {
            "counts": [counts[i] if i in continuing else None for i in range(n)],
            "continuing": active, "exhausted": exhausted,
            "elected": None, "eliminated": None, "tie_break": False,
        }
        rounds.append(row)
        leader = max(sorted(continuing), key=lambda i: counts[i])
        if active and 2 * counts[leader] > active:
            winner = row["elected"] = leader
            break
        if not active:
            break
        fewest = min(counts[i] for i in continuing)
        tied = sorted(i for i in continuing if counts[i] == fewest)
        row["eliminated"] = last_in_order(tied, order)
        row["tie_break"] = len(tied) > 1
        continuing.discard(row["eliminated"])
    figures = turnout(len(votes), electorate, rules.quorum)
    if not figures["quorum_met"]:
        outcome, why, winner = FAILED, "the quorum was not met", None
    elif winner is None:
        outcome, why = FAILED, "every ballot was exhausted"
    else:
        outcome = WINNER
        why = f"majority of continuing ballots in round {len(rounds)}"
    return {
        "method": rules.method, "options": list(rules.options), **figures,
        "rounds": rounds, "tie_break": any(r["tie_break"] for r in rounds),
        "tie_break_order": order, "outcome": outcome, "winner": winner, "why": why,
    }
