"""How the results page draws a tally: shares, bar widths, rounds, matrices, time left."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from web.proposal_forms import choice_of, describe_choice
from web.tallies import bars, irv_rounds, matrix, percent, time_left


@pytest.mark.parametrize(("fraction", "shown"), [
    ("3/4", "75%"), ("2/3", "66.7%"), ("1/3", "33.3%"), ("1", "100%"), ("0", "0%"),
    ("1/8", "12.5%"), (None, "–"),
])
def test_a_fraction_is_shown_as_a_percentage(fraction, shown):
    assert percent(fraction) == shown


def test_bars_are_shares_of_the_total_and_an_option_out_of_the_count_has_none():
    rows = bars(["A", "B", "C"], [2, 1, None], 3)
    assert [(r["count"], r["width"], r["share"]) for r in rows] == [
        (2, Decimal("66.7"), "66.7%"), (1, Decimal("33.3"), "33.3%"), (None, Decimal(0), "–")]
    assert [r["width"] for r in bars(["A"], [0], 0)] == [Decimal("0.0")]


def test_the_irv_round_table_has_a_row_per_option_and_a_column_per_round():
    tally = {"options": ["A", "B", "C"], "winner": 0, "rounds": [
        {"counts": [2, 2, 1], "continuing": 5, "exhausted": 0, "elected": None,
         "eliminated": 2, "tie_break": False},
        {"counts": [3, 2, None], "continuing": 5, "exhausted": 0, "elected": 0,
         "eliminated": None, "tie_break": False}]}
    table = irv_rounds(tally)
    assert [[c["count"] for c in row["cells"]] for row in table["rows"]] == [
        [2, 3], [2, 2], [1, None]]
    assert table["rows"][2]["cells"][0]["eliminated"] and table["rows"][0]["cells"][1]["elected"]
    assert table["notes"] == ["C is eliminated", "A has a majority"]
    assert [b["share"] for b in table["final"]] == ["60%", "40%", "–"]


def test_a_matrix_cell_wins_when_its_row_beats_its_column():
    rows = matrix({"options": ["A", "B"], "d": [[None, 3], [1, None]]}, "d")
    assert [[c["wins"] for c in r["cells"]] for r in rows] == [[False, True], [False, False]]


@pytest.mark.parametrize(("left", "words"), [
    (timedelta(days=3, hours=4, minutes=5), "3 days 4 hours left"),
    (timedelta(days=1, minutes=59), "1 day left"),
    (timedelta(hours=2, minutes=1), "2 hours 1 minute left"),
    (timedelta(seconds=20), "1 minute left"),
    (timedelta(0), "voting has ended"),
    (timedelta(minutes=-5), "voting has ended"),
])
def test_time_left_in_words(left, words):
    assert time_left(left) == words


def test_ranks_become_a_ranking_gaps_and_blanks_allowed():
    assert choice_of("irv", {"rank-0": 3, "rank-1": None, "rank-2": 1}) == ([2, 0], "")
    assert choice_of("schulze", {"rank-0": None, "rank-1": None}) == ([], "")
    assert describe_choice("irv", ["A", "B", "C"], [2, 0]) == "1. C, 2. A"
    assert describe_choice("approval", ["A", "B"], []) == "nothing: a blank ballot"
