"""Properties of governance through the services: recounts agree, hidden stays hidden."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coop.bootstrap import Network
from domain.errors import ResultsHidden
from tests.integration.test_governance import CLOSES, at

OPTIONS = ("pear", "plum", "fig")
METHODS = ("yes_no", "consent", "approval", "irv", "schulze")
PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@dataclass
class Electorate:
    net: Network
    circle: UUID
    members: list[UUID]


@pytest.fixture
def six(sqlite_network: Network) -> Iterator[Electorate]:
    net = sqlite_network
    with at(-30):
        members = [net.members.add(email=f"m{i}@coop.test", name=f"M{i}") for i in range(6)]
        circle = net.circles.form(name="Orchard")
        for m in members:
            net.circles.admit(circle, m)
    yield Electorate(net, circle, members)


def choice(method: str) -> st.SearchStrategy[Any]:
    ranking = st.permutations(list(range(3))).flatmap(
        lambda r: st.integers(0, 3).map(lambda k: list(r)[:k]))
    return {
        "yes_no": st.sampled_from(["yes", "no", "abstain"]),
        "consent": st.sampled_from(["consent", "object"]),
        "approval": st.sets(st.integers(0, 2)).map(sorted),
        "irv": ranking,
        "schulze": ranking,
    }[method]


@st.composite
def elections(draw: st.DrawFn) -> dict[str, Any]:
    method = draw(st.sampled_from(METHODS))
    return {
        "method": method,
        "secret": method != "consent" and draw(st.booleans()),
        "hidden": draw(st.booleans()),
        "delegation": draw(st.booleans()),
        "quorum": draw(st.sampled_from(["0", "1/3", "2/3"])),
        # Voter index -> choices cast in turn (the last one stands).
        "ballots": draw(st.dictionaries(st.integers(0, 5), st.lists(choice(method), min_size=1,
                                                                    max_size=2))),
        "delegations": draw(st.dictionaries(st.integers(0, 5), st.integers(0, 5))),
    }


def hold(e: Electorate, election: dict[str, Any]) -> UUID:
    """Open a proposal under the election's rules and cast its ballots (not closed)."""
    pid = open_proposal(e, election)
    cast(e, pid, election)
    return pid


def open_proposal(e: Electorate, election: dict[str, Any]) -> UUID:
    net, m = e.net, e.members
    method = election["method"]
    options = OPTIONS if method in ("approval", "irv", "schulze") else ()
    with at(0):
        pid = net.proposals.draft(circle_id=e.circle, title="Trees", text="Which?",
                                  method=method, options=options, by=m[0])
        net.proposals.open(pid, closes_at=CLOSES, quorum=election["quorum"],
                           secret=election["secret"], hidden_results=election["hidden"],
                           delegation=election["delegation"], by=m[0])
    return pid


def cast(e: Electorate, pid: UUID, election: dict[str, Any]) -> None:
    with at(10):
        for voter, choices in election["ballots"].items():
            for c in choices:
                e.net.ballots.cast(pid, c, reason="A reason", by=e.members[voter])


@PROPERTY
@given(elections())
def test_the_recount_equals_the_stored_outcome(six: Electorate, election: dict[str, Any]) -> None:
    net, m = six.net, six.members
    with at(-20):
        for delegator, delegate in election["delegations"].items():
            if delegator != delegate and net.delegations.delegate_of(
                    six.circle, m[delegator]) != m[delegate]:
                net.delegations.grant(six.circle, m[delegate], by=m[delegator])
    pid = hold(six, election)
    net.proposals.close_due()
    result = net.proposals.results(pid)
    report = net.proposals.recount(pid)
    assert report["agrees"], report["problems"]
    assert (report["tally"]["outcome"], report["tally"]["winner"]) == (
        result["outcome"], result["winner"])
    assert result["tally"]["ballots"] == len(election["ballots"])


def every_read(net: Network, pid: UUID, voter: UUID) -> dict[str, Any]:
    """Return what each read method gives about the proposal (or the refusal)."""
    seen: dict[str, Any] = {}
    reads = {
        "get": lambda: net.proposals.get(pid),
        "results": lambda: net.proposals.results(pid),
        "voters": lambda: net.ballots.voters(pid),
        "choices": lambda: net.ballots.choices(pid),
        "recount": lambda: {k: v for k, v in net.proposals.recount(pid).items()},
        "a non-voter's own ballot": lambda: net.ballots.mine(pid, by=voter),
    }
    for name, read in reads.items():
        try:
            seen[name] = read()
        except ResultsHidden as refusal:
            seen[name] = f"refused: {refusal}"
    return seen


@PROPERTY
@given(elections())
def test_hidden_results_never_appear_in_any_read_before_close(
        six: Electorate, election: dict[str, Any]) -> None:
    election = {**election, "hidden": True}
    net, m = six.net, six.members
    # Member 5 never votes here, so their view must not move as others vote.
    election["ballots"].pop(5, None)
    if election["method"] == "consent":
        # An objection is raised in the open by design (it must be answered before
        # close, see docs/governance.md); consents alone must leave no trace.
        election["ballots"] = {v: ["consent"] for v in election["ballots"]}
    pid = open_proposal(six, election)
    before = every_read(net, pid, m[5])
    cast(six, pid, election)
    after = every_read(net, pid, m[5])
    # What anyone can read is exactly what they read before any ballot was cast.
    assert after == before
    assert after["results"].startswith("refused")
    assert after["voters"].startswith("refused")
