"""Yes / no / abstain: quorum on ballots cast, support above a threshold of an explicit base.

- quorum met when (yes + no + abstain) / electorate >= quorum;
- support = yes / base, the base being, as the rules say, "yes+no" (abstentions left
  out), "yes+no+abstain" (every vote counted) or "electorate" (everyone who may vote);
- passed when the quorum is met and support > threshold (strict) or >= threshold (not
  strict). With an empty base (nobody said yes or no) support is none and it fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from domain.counting.common import FAILED, PASSED, Rules, fraction_text, turnout
from domain.errors import InvalidChoice

CHOICES = ("yes", "no", "abstain")


def check_choice(raw: object, option_count: int = 3) -> str:
    """Return "yes", "no" or "abstain"."""
    choice = str(raw or "").strip().lower()
    if choice not in CHOICES:
        raise InvalidChoice("the choice must be yes, no or abstain")
    return choice


def count(rules: Rules, votes: Sequence[str], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    counts = Counter(votes)
    yes, no, abstain = counts["yes"], counts["no"], counts["abstain"]
    assert rules.threshold is not None and rules.base is not None
    base = {"yes+no": yes + no, "yes+no+abstain": yes + no + abstain,
            "electorate": electorate}[rules.base]
    support = Fraction(yes, base) if base else None
    figures = turnout(len(votes), electorate, rules.quorum)
    if not figures["quorum_met"]:
        outcome, why = FAILED, "the quorum was not met"
    elif support is None:
        outcome, why = FAILED, "nobody voted yes or no"
    elif support > rules.threshold or (not rules.strict and support == rules.threshold):
        outcome, why = PASSED, "support reached the threshold"
    else:
        outcome, why = FAILED, "support did not reach the threshold"
    return {
        "method": rules.method, "options": list(rules.options), **figures,
        "yes": yes, "no": no, "abstain": abstain,
        "base": rules.base, "base_count": base, "support": fraction_text(support),
        "threshold": fraction_text(rules.threshold), "strict": rules.strict,
        "outcome": outcome, "winner": None, "why": why,
    }
