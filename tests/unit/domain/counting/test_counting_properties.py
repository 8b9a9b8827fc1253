"""Properties every tally keeps, whatever the ballots."""

from __future__ import annotations

import random
from uuid import UUID

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.counting import count, tally_ballots
from domain.counting.common import Rules


@st.composite
def ranked_profiles(draw: st.DrawFn, *, partial: bool = True) -> tuple[int, list[list[int]]]:
    n = draw(st.integers(min_value=2, max_value=5))
    ranking = st.permutations(list(range(n)))
    if partial:
        ranking = st.tuples(ranking, st.integers(min_value=0, max_value=n)).map(
            lambda pair: list(pair[0])[: pair[1]])
    ballots = draw(st.lists(ranking.map(list), min_size=1, max_size=40))
    return n, ballots


def condorcet_winner(n: int, ballots: list[list[int]]) -> int | None:
    """Return the option preferred to each other option by more voters than the reverse."""
    def prefers(ballot: list[int], a: int, b: int) -> bool:
        if a not in ballot:
            return False
        return b not in ballot or ballot.index(a) < ballot.index(b)

    for c in range(n):
        if all(sum(prefers(v, c, o) for v in ballots) > sum(prefers(v, o, c) for v in ballots)
               for o in range(n) if o != c):
            return c
    return None


@settings(max_examples=200, deadline=None)
@given(ranked_profiles(), st.text(min_size=1, max_size=8))
def test_a_condorcet_winner_wins_under_schulze(profile: tuple[int, list[list[int]]],
                                               seed: str) -> None:
    n, ballots = profile
    winner = condorcet_winner(n, ballots)
    assume(winner is not None)
    rules = Rules.make(method="schulze", options=[f"o{i}" for i in range(n)])
    t = count(rules, ballots, electorate=len(ballots), seed=seed)
    assert (t["winners"], t["winner"]) == ([winner], winner)


def votes_for(method: str, n: int, rng: random.Random, size: int) -> list:
    if method == "yes_no":
        return [rng.choice(["yes", "no", "abstain"]) for _ in range(size)]
    if method == "consent":
        return [rng.choice(["consent", "object"]) for _ in range(size)]
    if method == "approval":
        return [sorted(rng.sample(range(n), rng.randint(0, n))) for _ in range(size)]
    return [rng.sample(range(n), rng.randint(0, n)) for _ in range(size)]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["yes_no", "consent", "approval", "irv", "schulze"]),
       st.integers(min_value=2, max_value=5), st.integers(min_value=0, max_value=30),
       st.randoms(use_true_random=False))
def test_tallies_do_not_depend_on_ballot_order(method: str, n: int, size: int,
                                               rng: random.Random) -> None:
    options = [f"o{i}" for i in range(n)] if method in ("approval", "irv", "schulze") else []
    rules = Rules.make(method=method, options=options, quorum="1/4")
    votes = votes_for(method, n, rng, size)
    shuffled = list(votes)
    rng.shuffle(shuffled)
    assert count(rules, shuffled, electorate=40, seed="s") == count(
        rules, votes, electorate=40, seed="s")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=8), st.randoms(use_true_random=False))
def test_delegated_tallies_do_not_depend_on_the_order_ballots_arrive(
        size: int, rng: random.Random) -> None:
    members = [UUID(int=i + 1) for i in range(size)]
    choices = {m: rng.choice(["yes", "no"]) for m in rng.sample(members, rng.randint(0, size))}
    delegations = {m: rng.choice(members) for m in members if rng.random() < 0.6}
    delegations = {a: b for a, b in delegations.items() if a != b}
    rules = Rules.make(method="yes_no", options=(), delegation=True)
    reordered = dict(rng.sample(list(choices.items()), len(choices)))
    first = tally_ballots(rules, electorate=members, choices=choices, delegations=delegations,
                          seed="s")
    again = tally_ballots(rules, electorate=list(reversed(members)), choices=reordered,
                          delegations=delegations, seed="s")
    assert first == again
    # Every vote counted is a ballot or a delegated vote, never more than the electorate.
    tally = first[0]
    assert tally["votes"] == tally["ballots"] + tally["delegation"]["delegated_votes"] <= size
