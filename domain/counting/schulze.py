"""Schulze (beatpath), with winning votes as the strength of a link.

- d[i][j]: the number of voters who prefer option i to option j (a ranked option is
  preferred to every unranked one; unranked options are equal to each other);
- a link i -> j exists when d[i][j] > d[j][i], its strength is d[i][j], else 0;
- p[i][j]: the strength of the strongest (widest) path from i to j, a path being as
  strong as its weakest link (computed with the Floyd-Warshall variant);
- the winners are the options i with p[i][j] >= p[j][i] for every j (there is always at
  least one); several winners are a tie, broken by the seeded order (first wins).
The diagonals of d and p are null.
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
    first_in_order,
    seeded_order,
    turnout,
)

check_choice = check_ranking


def pairwise(n: int, votes: Sequence[Sequence[int]]) -> list[list[int]]:
    """Return d, where d[i][j] counts the voters preferring option i to option j."""
    d = [[0] * n for _ in range(n)]
    for ranking, weight in Counter(tuple(v) for v in votes).items():
        below = set(range(n))
        for option in ranking:
            below.discard(option)
            row = d[option]
            for other in below:
                row[other] += weight
    return d


def strongest_paths(d: list[list[int]]) -> list[list[int]]:
    """Return p, the strength of the strongest path between each pair of options."""
    n = len(d)
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            for k in range(n):
                if k not in (i, j):
                    p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return p


def count(rules: Rules, votes: Sequence[list[int]], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    n = len(rules.options)
    order = seeded_order(seed, n)
    d = pairwise(n, votes)
    p = strongest_paths(d)
    winners = [i for i in range(n) if all(p[i][j] >= p[j][i] for j in range(n) if j != i)]
    figures = turnout(len(votes), electorate, rules.quorum)
    winner = None
    if not figures["quorum_met"]:
        outcome, why = FAILED, "the quorum was not met"
    elif not any(any(row) for row in d):
        outcome, why = FAILED, "no ballot preferred any option to another"
    else:
        winner = first_in_order(winners, order)
        outcome = WINNER
        why = "not beaten by a stronger path" + (
            " (tie broken by the seeded order)" if len(winners) > 1 else "")
    return {
        "method": rules.method, "options": list(rules.options), **figures,
        "d": _null_diagonal(d), "p": _null_diagonal(p),
        "winners": winners, "tie_break": len(winners) > 1,
        "tie_break_order": order, "outcome": outcome, "winner": winner, "why": why,
    }


def _null_diagonal(m: list[list[int]]) -> list[list[int | None]]:
    return [[v if i != j else None for j, v in enumerate(row)] for i, row in enumerate(m)]
