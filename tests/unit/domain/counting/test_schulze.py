"""Schulze, against the worked example of its standard description."""

from __future__ import annotations

from domain.counting import schulze
from domain.counting.common import Rules, seeded_order

A, B, C, D, E = range(5)
RULES = Rules.make(method="schulze", options=["A", "B", "C", "D", "E"])


def wikipedia_ballots() -> list[list[int]]:
    """Wikipedia, "Schulze method", example: 45 voters, 5 candidates (after Schulze)."""
    groups = [
        (5, [A, C, B, E, D]), (5, [A, D, E, C, B]), (8, [B, E, D, A, C]), (3, [C, A, B, E, D]),
        (7, [C, A, E, B, D]), (2, [C, B, A, D, E]), (7, [D, C, E, B, A]), (8, [E, B, A, D, C]),
    ]
    return [ranking for count, ranking in groups for _ in range(count)]


def test_wikipedia_example_pairwise_preferences() -> None:
    t = schulze.count(RULES, wikipedia_ballots(), electorate=45, seed="s")
    assert t["d"] == [
        [None, 20, 26, 30, 22],
        [25, None, 16, 33, 18],
        [19, 29, None, 17, 24],
        [15, 12, 28, None, 14],
        [23, 27, 21, 31, None],
    ]


def test_wikipedia_example_strongest_paths_and_winner_e() -> None:
    t = schulze.count(RULES, wikipedia_ballots(), electorate=45, seed="s")
    assert t["p"] == [
        [None, 28, 28, 30, 24],
        [25, None, 28, 33, 24],
        [25, 29, None, 29, 24],
        [25, 28, 28, None, 24],
        [25, 28, 28, 31, None],
    ]
    assert (t["winners"], t["winner"], t["tie_break"]) == ([E], E, False)


def test_unranked_options_are_below_ranked_ones_and_equal_to_each_other() -> None:
    rules = Rules.make(method="schulze", options=["a", "b", "c"])
    t = schulze.count(rules, [[2]], electorate=1, seed="s")
    assert t["d"] == [[None, 0, 0], [0, None, 0], [1, 1, None]]
    assert t["winner"] == 2


def test_a_tie_is_broken_by_the_seeded_order() -> None:
    rules = Rules.make(method="schulze", options=["a", "b", "c"])
    order = seeded_order("abc", 3)
    t = schulze.count(rules, [[0, 1, 2], [1, 2, 0], [2, 0, 1]], electorate=3, seed="abc")
    assert t["winners"] == [0, 1, 2]
    assert (t["winner"], t["tie_break"]) == (order[0], True)


def test_no_preference_expressed_has_no_winner() -> None:
    rules = Rules.make(method="schulze", options=["a", "b"])
    t = schulze.count(rules, [[], []], electorate=2, seed="s")
    assert (t["outcome"], t["winner"]) == ("failed", None)
