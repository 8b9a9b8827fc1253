"""What every counting method shares: the rules, exact fractions, the seeded tie-break.

Everything a tally records is a plain JSON value (int, str, bool, None, list, dict with
str keys): the tally is stored in the Closed event and compared, value for value, by the
recount, so it must come back from the log exactly as it went in. Rational figures are
written as exact fractions in text ("7/10"), never as floats.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from domain.errors import InvalidChoice, InvalidRules

# Bump when any counting rule changes: the Closed event records the version it was
# counted with, so a recount under other rules says so instead of silently differing.
COUNTING_VERSION = "1"

YES_NO, CONSENT, APPROVAL, IRV, SCHULZE = "yes_no", "consent", "approval", "irv", "schulze"
METHODS = (YES_NO, CONSENT, APPROVAL, IRV, SCHULZE)
METHOD_NAMES = {
    YES_NO: "yes / no / abstain",
    CONSENT: "consent",
    APPROVAL: "approval",
    IRV: "ranked choice (instant runoff)",
    SCHULZE: "Schulze",
}
# The options of the two methods whose options are fixed by the method itself.
FIXED_OPTIONS = {YES_NO: ("yes", "no", "abstain"), CONSENT: ("consent", "object")}
CHOICE_METHODS = (APPROVAL, IRV, SCHULZE)

# What counts in the denominator of a yes/no support figure.
BASES = ("yes+no", "yes+no+abstain", "electorate")
MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 200

PASSED, FAILED, WINNER = "passed", "failed", "winner"


def parse_fraction(value: object, what: str) -> Fraction:
    """Return an exact fraction from 0 to 1 given as "1/2", "0.5", "50%" or a Decimal."""
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidRules(f"{what} must be given as text or a Decimal, not {value!r}")
    if isinstance(value, Fraction):
        number = value
    else:
        text = str(value).strip()
        try:
            if text.endswith("%"):
                number = Fraction(Decimal(text[:-1].strip())) / 100
            elif "/" in text:
                number = Fraction(text)
            else:
                number = Fraction(Decimal(text))
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise InvalidRules(
                f"{what} must be a fraction like 1/2, 0.5 or 50%, not '{value}'") from None
    if not 0 <= number <= 1:
        raise InvalidRules(f"{what} must be from 0 to 1 (0% to 100%), not {value}")
    return number


def fraction_text(value: Fraction | None) -> str | None:
    """Return a fraction as exact text ("2/3", "1", "0"), or None."""
    return None if value is None else str(value)


@dataclass(frozen=True)
class Rules:
    """The rules a proposal is counted by, locked into its Opened event."""

    method: str
    options: tuple[str, ...]
    quorum: Fraction = Fraction(0)
    threshold: Fraction | None = None
    strict: bool | None = None
    base: str | None = None
    secret: bool = False
    hidden_results: bool = False
    allow_early_close: bool = False
    delegation: bool = False

    @classmethod
    def make(cls, *, method: str, options: Sequence[str], quorum: object = "0",
             threshold: object = "1/2", strict: bool = True, base: str = "yes+no",
             secret: bool = False, hidden_results: bool = False,
             allow_early_close: bool = False, delegation: bool = False) -> Rules:
        """Return checked rules; threshold, strictness and base apply to yes/no only."""
        method = check_method(method)
        options = check_options(method, options)
        if method == CONSENT and secret:
            # An objection is answered by amending the proposal or ruling it out with a
            # reason: it has to be made in the open, so a consent ballot cannot be secret.
            raise InvalidRules(
                "a consent decision cannot be secret: objections are answered in the open")
        is_yes_no = method == YES_NO
        limit = parse_fraction(threshold, "the threshold") if is_yes_no else None
        if is_yes_no and base not in BASES:
            raise InvalidRules(f"the base must be one of {', '.join(BASES)}, not '{base}'")
        if is_yes_no and strict and limit == 1:
            raise InvalidRules("a threshold of more than 100% can never be reached")
        return cls(
            method=method, options=tuple(options), quorum=parse_fraction(quorum, "the quorum"),
            threshold=limit, strict=bool(strict) if is_yes_no else None,
            base=base if is_yes_no else None, secret=bool(secret),
            hidden_results=bool(hidden_results), allow_early_close=bool(allow_early_close),
            delegation=bool(delegation),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "options": list(self.options),
            "quorum": fraction_text(self.quorum), "threshold": fraction_text(self.threshold),
            "strict": self.strict, "base": self.base, "secret": self.secret,
            "hidden_results": self.hidden_results, "allow_early_close": self.allow_early_close,
            "delegation": self.delegation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rules:
        threshold = data.get("threshold")
        return cls(**{
            **data,
            "options": tuple(data["options"]),
            "quorum": Fraction(data["quorum"]),
            "threshold": None if threshold is None else Fraction(threshold),
        })

    @property
    def shows_counts_while_open(self) -> bool:
        """Say whether counts by option may be shown before close.

        Never for a secret ballot, even when results are not hidden: watching a live
        count move just after one member's ballot arrives would link that ballot's
        choice to the member.
        """
        return not (self.hidden_results or self.secret)


def check_method(method: object) -> str:
    name = str(method or "").strip().lower().replace("-", "_").replace("/", "_")
    name = {"yesno": YES_NO, "ranked": IRV, "instant_runoff": IRV}.get(name, name)
    if name not in METHODS:
        raise InvalidRules(f"'{method}' is not a voting method (methods: {', '.join(METHODS)})")
    return name


def check_options(method: str, options: Sequence[str] | None) -> tuple[str, ...]:
    """Return the options of a method: fixed for yes/no and consent, 2 to 20 otherwise."""
    given = [str(o).strip() for o in (options or []) if str(o).strip()]
    if method in FIXED_OPTIONS:
        if given and tuple(given) != FIXED_OPTIONS[method]:
            raise InvalidRules(f"a {METHOD_NAMES[method]} proposal takes no options of its own")
        return FIXED_OPTIONS[method]
    if not 2 <= len(given) <= MAX_OPTIONS:
        raise InvalidRules(f"a {METHOD_NAMES[method]} proposal needs 2 to {MAX_OPTIONS} options")
    if len({o.casefold() for o in given}) != len(given):
        raise InvalidRules("each option must differ from the others")
    for option in given:
        if len(option) > MAX_OPTION_LENGTH:
            raise InvalidRules(f"an option must be at most {MAX_OPTION_LENGTH} characters")
    return tuple(given)


def seeded_order(seed: str, count: int) -> list[int]:
    """Return option indexes in tie-break priority order, first = most preferred.

    Each option's key is sha256("<seed>:<index>"); options are sorted by key. The seed
    is committed (as its sha256) when the proposal opens and revealed at close, so
    anyone can recompute this order and no one could steer it after seeing ballots.
    """
    return sorted(range(count), key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())


def first_in_order(tied: Sequence[int], order: Sequence[int]) -> int:
    """Return the tied option that comes first in the seeded order (a tie won)."""
    return min(tied, key=order.index)


def last_in_order(tied: Sequence[int], order: Sequence[int]) -> int:
    """Return the tied option that comes last in the seeded order (a tie lost)."""
    return max(tied, key=order.index)


def canonical(value: object) -> str:
    """Return the canonical JSON text of a value (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def turnout(votes: int, electorate: int, quorum: Fraction) -> dict[str, Any]:
    """Return the turnout figures every tally starts with.

    Quorum is met when votes counted / electorate >= quorum (abstentions and blank
    ballots are votes counted).
    """
    share = Fraction(votes, electorate) if electorate else None
    met = (share >= quorum) if share is not None else quorum == 0
    return {
        "electorate": electorate,
        "votes": votes,
        "turnout": fraction_text(share),
        "quorum": fraction_text(quorum),
        "quorum_met": met,
    }


def check_ranking(raw: object, option_count: int) -> list[int]:
    """Return a ranking: option indexes from most to least preferred, each at most once.

    A ranking may be partial: options left out are ranked below every ranked option
    and equal to each other. An empty ranking is a blank ballot (a vote counted for the
    quorum that prefers nothing).
    """
    if isinstance(raw, (str, bytes, int)) or raw is None:
        raise InvalidChoice("a ranked ballot lists options in order of preference")
    try:
        ranking = [int(str(i)) for i in raw]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise InvalidChoice("a ranked ballot lists options by number") from None
    if any(not 0 <= i < option_count for i in ranking):
        raise InvalidChoice(f"options are numbered 0 to {option_count - 1}")
    if len(set(ranking)) != len(ranking):
        raise InvalidChoice("each option may be ranked only once")
    return ranking
