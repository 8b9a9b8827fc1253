"""Ranked choice (instant runoff), against the standard worked example and edge cases."""

from __future__ import annotations

import pytest

from domain.counting import irv
from domain.counting.common import Rules, seeded_order
from domain.errors import InvalidChoice

MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = range(4)
TENNESSEE = Rules.make(method="irv", options=["Memphis", "Nashville", "Chattanooga", "Knoxville"])


def tennessee_ballots() -> list[list[int]]:
    """Wikipedia, "Instant-runoff voting": Tennessee picks its capital; 100 voters, who
    each rank the cities by distance from where they live."""
    return (
        [[MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]] * 42
        + [[NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS]] * 26
        + [[CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS]] * 15
        + [[KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS]] * 17
    )


def test_tennessee_capital_knoxville_wins_in_round_three() -> None:
    t = irv.count(TENNESSEE, tennessee_ballots(), electorate=100, seed="s")
    rounds = t["rounds"]
    # Round 1: Chattanooga has the fewest first preferences (15) and is eliminated.
    assert rounds[0]["counts"] == [42, 26, 15, 17]
    assert rounds[0]["eliminated"] == CHATTANOOGA
    # Round 2: its 15 go to Knoxville (32); Nashville (26) is now last.
    assert rounds[1]["counts"] == [42, 26, None, 32]
    assert rounds[1]["eliminated"] == NASHVILLE
    # Round 3: Nashville's 26 pass Chattanooga (out) to Knoxville: 58 of 100.
    assert rounds[2]["counts"] == [42, None, None, 58]
    assert rounds[2]["elected"] == KNOXVILLE
    assert len(rounds) == 3 and not t["tie_break"]
    assert (t["outcome"], t["winner"]) == ("winner", KNOXVILLE)
    assert all(r["continuing"] == 100 and r["exhausted"] == 0 for r in rounds)


def test_exhausted_ballots_leave_the_count() -> None:
    rules = Rules.make(method="irv", options=["a", "b", "c"])
    ballots = [[0]] * 4 + [[1]] * 3 + [[2]] * 2
    t = irv.count(rules, ballots, electorate=9, seed="s")
    # 4 of 9 is no majority; once c is out its 2 ballots rank nothing left:
    # 4 of the 7 continuing ballots is.
    assert t["rounds"][0]["eliminated"] == 2
    assert (t["rounds"][1]["continuing"], t["rounds"][1]["exhausted"]) == (7, 2)
    assert t["winner"] == 0


def test_elimination_ties_are_broken_by_the_seeded_order() -> None:
    rules = Rules.make(method="irv", options=["a", "b", "c"])
    assert seeded_order("abc", 3) == [2, 0, 1]
    ballots = [[0], [0], [1, 2], [2]]
    t = irv.count(rules, ballots, electorate=4, seed="abc")
    # b and c tie on 1: b comes last in the order [c, a, b] and goes.
    assert (t["rounds"][0]["eliminated"], t["rounds"][0]["tie_break"]) == (1, True)
    # a and c tie on 2 of 4: a comes after c and goes; a's ballots are exhausted.
    assert (t["rounds"][1]["eliminated"], t["rounds"][1]["tie_break"]) == (0, True)
    assert t["rounds"][2]["counts"] == [None, None, 2]
    assert (t["winner"], t["tie_break"]) == (2, True)


def test_no_winner_when_every_ballot_is_blank() -> None:
    rules = Rules.make(method="irv", options=["a", "b"])
    t = irv.count(rules, [[], []], electorate=2, seed="s")
    assert (t["outcome"], t["winner"]) == ("failed", None)


def test_quorum_not_met_means_no_winner_but_the_rounds_are_shown() -> None:
    rules = Rules.make(method="irv", options=["a", "b"], quorum="1/2")
    t = irv.count(rules, [[0]], electorate=3, seed="s")
    assert (t["outcome"], t["winner"], len(t["rounds"])) == ("failed", None, 1)


def test_a_ranking_may_be_partial_but_not_repeat_an_option() -> None:
    assert irv.check_choice(["2", 0], 3) == [2, 0]
    assert irv.check_choice([], 3) == []
    for bad in ([0, 0], [3], "0,1", None):
        with pytest.raises(InvalidChoice):
            irv.check_choice(bad, 3)
