"""Our IRV and Schulze winners agree with pref_voting's, where no tie-break decides."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile

from domain.counting import count
from domain.counting.common import Rules


@st.composite
def linear_profiles(draw: st.DrawFn) -> tuple[int, list[list[int]]]:
    """Complete rankings, as pref_voting's Profile takes (partial ones differ by design)."""
    n = draw(st.integers(min_value=2, max_value=5))
    ballots = draw(st.lists(st.permutations(list(range(n))).map(list), min_size=1,
                            max_size=60))
    return n, ballots


@settings(max_examples=150, deadline=None)
@given(linear_profiles())
def test_irv_winner_agrees_with_pref_voting(profile: tuple[int, list[list[int]]]) -> None:
    n, ballots = profile
    rules = Rules.make(method="irv", options=[f"o{i}" for i in range(n)])
    ours = count(rules, ballots, electorate=len(ballots), seed="s")
    assume(not ours["tie_break"])
    assert instant_runoff(Profile(ballots)) == [ours["winner"]]


@settings(max_examples=150, deadline=None)
@given(linear_profiles())
def test_schulze_winners_agree_with_pref_voting(profile: tuple[int, list[list[int]]]) -> None:
    n, ballots = profile
    rules = Rules.make(method="schulze", options=[f"o{i}" for i in range(n)])
    ours = count(rules, ballots, electorate=len(ballots), seed="s")
    # The set of Schulze winners is the method's own; only picking one of several is ours.
    assert beat_path(Profile(ballots)) == ours["winners"]
    if not ours["tie_break"]:
        assert beat_path(Profile(ballots)) == [ours["winner"]]
