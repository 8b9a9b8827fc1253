"""Approval: each voter approves any number of options; most approvals wins.

A tie for the most approvals is broken by the seeded order (the tied option first in it
wins). An empty ballot (approving nothing) is a vote counted for the quorum. When the
quorum is not met, or no option got an approval, there is no winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.counting.common import FAILED, WINNER, Rules, first_in_order, seeded_order, turnout
from domain.errors import InvalidChoice


def check_choice(raw: object, option_count: int) -> list[int]:
    """Return the approved option indexes, sorted, each at most once."""
    if isinstance(raw, (str, bytes, int)) or raw is None:
        raise InvalidChoice("an approval ballot is a set of options")
    try:
        indexes = sorted({int(str(i)) for i in raw})  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise InvalidChoice("an approval ballot lists options by number") from None
    if any(not 0 <= i < option_count for i in indexes):
        raise InvalidChoice(f"options are numbered 0 to {option_count - 1}")
    return indexes


def count(rules: Rules, votes: Sequence[list[int]], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    n = len(rules.options)
    approvals = [0] * n
    for ballot in votes:
        for option in ballot:
            approvals[option] += 1
    order = seeded_order(seed, n)
    most = max(approvals)
    top = [i for i in range(n) if approvals[i] == most] if most else []
    figures = turnout(len(votes), electorate, rules.quorum)
    winner = None
    if not figures["quorum_met"]:
        outcome, why = FAILED, "the quorum was not met"
    elif not top:
        outcome, why = FAILED, "no option was approved"
    else:
        winner = first_in_order(top, order)
        outcome = WINNER
        why = "most approvals" + (" (tie broken by the seeded order)" if len(top) > 1 else "")
    return {
        "method": rules.method, "options": list(rules.options), **figures,
        "approvals": approvals, "top": top, "tie_break": len(top) > 1,
        "tie_break_order": order, "outcome": outcome, "winner": winner, "why": why,
    }
