"""Yes / no / abstain: quorum, threshold, strictness and the explicit base."""

from __future__ import annotations

import pytest

from domain.counting import yes_no
from domain.counting.common import Rules
from domain.errors import InvalidChoice


def tally(votes: list[str], *, electorate: int = 10, **rules: object) -> dict:
    return yes_no.count(Rules.make(method="yes_no", options=(), **rules), votes,
                        electorate=electorate, seed="s")


def test_simple_majority_of_yes_and_no() -> None:
    t = tally(["yes"] * 3 + ["no"] * 2 + ["abstain"] * 4)
    assert (t["yes"], t["no"], t["abstain"]) == (3, 2, 4)
    assert t["support"] == "3/5" and t["base_count"] == 5
    assert t["outcome"] == "passed"


def test_exactly_the_threshold_passes_only_when_not_strict() -> None:
    votes = ["yes", "yes", "no", "no"]
    assert tally(votes, threshold="1/2", strict=True)["outcome"] == "failed"
    assert tally(votes, threshold="1/2", strict=False)["outcome"] == "passed"


def test_two_thirds_is_exact_not_rounded() -> None:
    votes = ["yes"] * 2 + ["no"]
    assert tally(votes, threshold="2/3", strict=False)["outcome"] == "passed"
    assert tally(votes, threshold="2/3", strict=True)["outcome"] == "failed"
    # 0.6667 written as a decimal is more than 2/3: two yes of three no longer reach it.
    assert tally(votes, threshold="0.6667", strict=False)["outcome"] == "failed"


@pytest.mark.parametrize("base, support, outcome", [
    ("yes+no", "3/4", "passed"),
    ("yes+no+abstain", "1/2", "failed"),
    ("electorate", "3/10", "failed"),
])
def test_the_base_decides_what_counts_in_the_denominator(base: str, support: str,
                                                          outcome: str) -> None:
    t = tally(["yes"] * 3 + ["no"] + ["abstain"] * 2, base=base)
    assert (t["support"], t["outcome"]) == (support, outcome)


def test_quorum_counts_abstentions() -> None:
    votes = ["yes"] + ["abstain"] * 4
    t = tally(votes, quorum="1/2")
    assert (t["turnout"], t["quorum_met"], t["outcome"]) == ("1/2", True, "passed")
    t = tally(votes[:-1], quorum="1/2")
    assert (t["quorum_met"], t["outcome"]) == (False, "failed")
    assert t["why"] == "the quorum was not met"


def test_only_abstentions_fail_without_dividing_by_zero() -> None:
    t = tally(["abstain"] * 3)
    assert (t["support"], t["outcome"]) == (None, "failed")


@pytest.mark.parametrize("raw", ["Yes", " no ", "ABSTAIN"])
def test_choices_are_normalised(raw: str) -> None:
    assert yes_no.check_choice(raw) == raw.strip().lower()


@pytest.mark.parametrize("raw", ["maybe", "", None, ["yes"]])
def test_anything_else_is_refused(raw: object) -> None:
    with pytest.raises(InvalidChoice):
        yes_no.check_choice(raw)
