"""Approval: most approvals wins; ties go by the seeded order."""

from __future__ import annotations

import pytest

from domain.counting import approval
from domain.counting.common import Rules, seeded_order
from domain.errors import InvalidChoice

RULES = Rules.make(method="approval", options=["tea", "coffee", "juice"])


def test_most_approvals_wins() -> None:
    t = approval.count(RULES, [[0, 1], [1], [1, 2], []], electorate=5, seed="s")
    assert t["approvals"] == [1, 3, 1]
    assert (t["outcome"], t["winner"], t["tie_break"]) == ("winner", 1, False)
    assert t["votes"] == 4  # the empty ballot is a vote counted


def test_a_tie_goes_to_the_tied_option_first_in_the_seeded_order() -> None:
    order = seeded_order("coop", 3)
    assert order == [2, 0, 1]
    t = approval.count(RULES, [[0], [1]], electorate=2, seed="coop")
    assert (t["top"], t["winner"], t["tie_break"]) == ([0, 1], 0, True)
    t = approval.count(RULES, [[0, 2], [1, 2], [0, 1]], electorate=3, seed="coop")
    assert (t["top"], t["winner"]) == ([0, 1, 2], 2)


def test_no_approval_at_all_has_no_winner() -> None:
    t = approval.count(RULES, [[], []], electorate=2, seed="s")
    assert (t["outcome"], t["winner"]) == ("failed", None)


def test_a_ballot_is_a_set_of_options() -> None:
    assert approval.check_choice(["2", 0, 2], 3) == [0, 2]
    for bad in ("0", [3], [-1], ["x"], None):
        with pytest.raises(InvalidChoice):
            approval.check_choice(bad, 3)
