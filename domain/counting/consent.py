"""Consent: passes at close when the quorum is met and no objection remains open.

A ballot is "consent" or "object"; an objection (with its reason) is raised on the
proposal and stays open until it is resolved: by an amendment of the proposal, ruled out
with a reason by the author or a steward, or withdrawn by the objector changing their
ballot to consent. The counts of consents and objecting ballots are shown; only open
objections decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from domain.counting.common import FAILED, PASSED, Rules, turnout
from domain.errors import InvalidChoice

CHOICES = ("consent", "object")
OPEN = "open"


def check_choice(raw: object, option_count: int = 2) -> str:
    """Return "consent" or "object"."""
    choice = str(raw or "").strip().lower()
    if choice not in CHOICES:
        raise InvalidChoice("the choice must be consent or object (with a reason)")
    return choice


def count(rules: Rules, votes: Sequence[str], *, electorate: int, seed: str,
          objections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    counts = Counter(votes)
    listed = [{"number": o["number"], "status": o["status"], "resolution": o.get("resolution")}
              for o in sorted(objections, key=lambda o: o["number"])]
    still_open = sum(1 for o in listed if o["status"] == OPEN)
    figures = turnout(len(votes), electorate, rules.quorum)
    if not figures["quorum_met"]:
        outcome, why = FAILED, "the quorum was not met"
    elif still_open:
        outcome, why = FAILED, f"{still_open} objection(s) still open at close"
    else:
        outcome, why = PASSED, "no objection remained open"
    return {
        "method": rules.method, "options": list(rules.options), **figures,
        "consent": counts["consent"], "object": counts["object"],
        "objections": listed, "open_objections": still_open,
        "outcome": outcome, "winner": None, "why": why,
    }
