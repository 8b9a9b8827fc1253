"""Proposals, ballots and delegation through the services, on every backend."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from coop.bootstrap import Network, build
from coop.services.ballot_log import BALLOT_TOPICS
from domain import clock
from domain.ballot import Ballot
from domain.errors import (
    NotACircleMember,
    NotAllowed,
    NotASteward,
    NotInElectorate,
    NotTheAuthor,
    ProposalStateConflict,
    ResultsHidden,
    VotingClosed,
)
from domain.proposal import Proposal

# Proposals are drafted and voted on in the recent past, so that close_due() at the
# real present finds them due and every event keeps a truthful timestamp.
T0 = clock.now().replace(microsecond=0) - timedelta(hours=3)
CLOSES = T0 + timedelta(hours=2)


@contextmanager
def at(minutes: int) -> Iterator[None]:
    with clock.frozen_at(T0 + timedelta(minutes=minutes)):
        yield


@dataclass
class Circle:
    """A garden circle of four (Sam the steward, Ana, Ben, Cat); Dan is not in it."""

    net: Network
    id: UUID
    sam: UUID
    ana: UUID
    ben: UUID
    cat: UUID
    dan: UUID

    def propose(self, method: str = "yes_no", options: tuple[str, ...] = (),
                closes_at: datetime = CLOSES, **rules: Any) -> UUID:
        with at(0):
            pid = self.net.proposals.draft(circle_id=self.id, title="Plant an orchard",
                                           text="Ten apple trees.", method=method,
                                           options=options, by=self.ana)
            self.net.proposals.open(pid, closes_at=closes_at, by=self.ana, **rules)
        return pid

    def vote(self, pid: UUID, votes: dict[UUID, Any], minute: int = 10) -> None:
        with at(minute):
            for voter, choice in votes.items():
                self.net.ballots.cast(pid, choice, by=voter)


@pytest.fixture
def garden(network: Network) -> Circle:
    add = network.members.add
    with at(-10):
        people = [add(email=f"{n}@coop.test", name=n.title(), steward=n == "sam")
                  for n in ("sam", "ana", "ben", "cat", "dan")]
        circle = network.circles.form(name="Garden", purpose="The shared garden")
        for member in people[:4]:
            network.circles.admit(circle, member)
        network.circles.grant_mandate(circle, domain="the garden and its budget",
                                      decision="General meeting of 2026-01-10")
    return Circle(network, circle, *people)


def test_a_yes_no_decision_from_draft_to_recount(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose(quorum="1/2", threshold="1/2")
    # Rules and electorate are locked at opening; the decision cites the mandate.
    proposal = net.proposals.get(pid)
    assert proposal["electorate"] == sorted([garden.sam, garden.ana, garden.ben, garden.cat],
                                            key=str)
    assert proposal["decided_under"] == "the garden and its budget"
    garden.vote(pid, {garden.ana: "yes", garden.ben: "yes", garden.cat: "no"})
    # While open (results shown), a provisional count; no outcome yet.
    provisional = net.proposals.results(pid)
    assert (provisional["final"], provisional["tally"]["yes"]) == (False, 2)
    assert provisional["outcome"] is None
    # The closing time passes: close_due records the tally.
    done = net.proposals.close_due()
    assert [c["id"] for c in done["closed"]] == [pid]
    result = net.proposals.results(pid)
    assert (result["outcome"], result["tally"]["support"], result["tally"]["turnout"]) == (
        "passed", "2/3", "3/4")
    # Nothing else is due; the recount agrees.
    assert net.proposals.close_due() == {"closed": [], "failed": []}
    report = net.proposals.recount(pid)
    assert report["agrees"] and report["tally"] == result["tally"]


def test_only_members_of_the_circle_draft_and_only_its_electorate_votes(
        garden: Circle) -> None:
    net = garden.net
    with pytest.raises(NotACircleMember), at(0):
        net.proposals.draft(circle_id=garden.id, title="t", text="x", method="yes_no",
                            by=garden.dan)
    pid = garden.propose()
    with pytest.raises(NotInElectorate) as refused, at(5):
        net.ballots.cast(pid, "yes", by=garden.dan)
    assert isinstance(refused.value, NotAllowed)  # the web answers 403
    # Dan joins the circle after opening: still no vote on this proposal.
    with at(6):
        net.circles.admit(garden.id, garden.dan)
    with pytest.raises(NotInElectorate), at(7):
        net.ballots.cast(pid, "yes", by=garden.dan)


def test_double_casting_yields_one_ballot_changed_not_two(garden: Circle) -> None:
    pid = garden.propose()
    garden.vote(pid, {garden.ben: "yes"}, minute=10)
    garden.vote(pid, {garden.ben: "no"}, minute=11)
    ballot = garden.net.app.repository.get(Ballot.create_id(pid, garden.ben))
    assert (ballot.version, ballot.choice) == (2, "no")
    assert garden.net.ballots.voters(pid) == [garden.ben]
    assert garden.net.ballots.mine(pid, by=garden.ben)["choice"] == "no"


def test_withdrawn_and_closed_proposals_refuse_ballots(garden: Circle) -> None:
    net = garden.net
    withdrawn = garden.propose()
    with pytest.raises(NotTheAuthor), at(1):
        net.proposals.withdraw(withdrawn, reason="no", by=garden.ben)
    with at(1):
        net.proposals.withdraw(withdrawn, reason="Replaced by a better one", by=garden.sam)
    with pytest.raises(VotingClosed, match="withdrawn"), at(2):
        net.ballots.cast(withdrawn, "yes", by=garden.ben)
    closed = garden.propose()
    net.proposals.close_due()
    with pytest.raises(VotingClosed, match="closed"):
        net.ballots.cast(closed, "yes", by=garden.ben)


def test_early_close_needs_a_steward_and_rules_that_allow_it(garden: Circle) -> None:
    net = garden.net
    locked = garden.propose()
    with pytest.raises(ProposalStateConflict, match="do not allow"), at(20):
        net.proposals.close_early(locked, by=garden.sam)
    allowed = garden.propose(allow_early_close=True)
    with pytest.raises(NotASteward), at(20):
        net.proposals.close_early(allowed, by=garden.ana)
    with at(20):
        result = net.proposals.close_early(allowed, by=garden.sam)
    assert result["early"] and result["state"] == "closed"


def test_hidden_results_give_no_count_of_any_kind_before_close(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose(hidden_results=True)
    before = net.proposals.get(pid)
    garden.vote(pid, {garden.ana: "yes", garden.ben: "no"})
    # What a page may read is the same as before anyone voted...
    assert net.proposals.get(pid) == before
    # ...and every count is refused: tally, turnout, who voted, who chose what.
    for read in (net.proposals.results, net.ballots.voters, net.ballots.choices):
        with pytest.raises(ResultsHidden):
            read(pid)
    # A voter still sees their own ballot.
    assert net.ballots.mine(pid, by=garden.ana)["choice"] == "yes"
    net.proposals.close_due()
    assert net.proposals.results(pid)["tally"]["yes"] == 1
    assert net.ballots.voters(pid) == sorted([garden.ana, garden.ben], key=str)


def test_a_secret_ballot_stores_no_choice_a_voter_could_be_linked_to(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose("approval", ("pear", "plum", "fig"), secret=True)
    garden.vote(pid, {garden.ana: [0], garden.ben: [0], garden.cat: [0, 1, 2]})
    # The log holds sealed blobs only: all alike in length, different even for equal choices.
    events = [net.app.mapper.to_domain_event(n) for n in net.app.recorder.select_notifications(
        start=1, limit=1000, topics=list(BALLOT_TOPICS))]
    assert len(events) == 3 and all(e.choice is None for e in events)
    assert len({e.sealed for e in events}) == 3
    assert len({len(e.sealed) for e in events}) == 1
    # While open, a secret ballot gives the number of ballots but no count by option,
    # and never a voter's choice.
    assert net.proposals.results(pid)["tally"] is None
    with pytest.raises(ResultsHidden, match="secret"):
        net.ballots.choices(pid)
    net.proposals.close_due()
    # At close the box is emptied: choices sorted by their JSON text, no voter beside them.
    closed = net.app.repository.get(pid)
    assert closed.result["mixed_choices"] == [[0, 1, 2], [0], [0]]
    assert net.proposals.results(pid)["tally"]["approvals"] == [3, 1, 1]
    with pytest.raises(ResultsHidden):
        net.ballots.choices(pid)
    assert net.proposals.recount(pid)["agrees"]


def test_consent_objection_amended_then_passes(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose("consent")
    with at(5):
        net.ballots.cast(pid, "object", reason="Too close to the well", by=garden.ben)
        net.ballots.cast(pid, "consent", by=garden.cat)
    # Objections are public: they are answered in the open.
    assert [o["reason"] for o in net.proposals.get(pid)["objections"]] == [
        "Too close to the well"]
    with pytest.raises(NotTheAuthor), at(6):
        net.proposals.resolve_objection(pid, 1, how="ruled_out", note="no", by=garden.cat)
    with at(6):
        net.proposals.resolve_objection(pid, 1, how="amended",
                                        amended_text="Ten apple trees, by the gate.",
                                        by=garden.ana)
    assert net.proposals.get(pid)["text_version"] == 2
    net.proposals.close_due()
    result = net.proposals.results(pid)
    assert (result["outcome"], result["tally"]["object"]) == ("passed", 1)


def test_an_open_objection_at_close_fails_a_consent_decision(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose("consent")
    with at(5):
        net.ballots.cast(pid, "object", reason="Not this year", by=garden.ben)
    net.proposals.close_due()
    assert net.proposals.results(pid)["outcome"] == "failed"
    assert net.proposals.recount(pid)["agrees"]


def test_delegated_votes_count_unless_the_delegator_votes(garden: Circle) -> None:
    net = garden.net
    with at(-5):
        net.delegations.grant(garden.id, garden.ben, by=garden.cat)  # Cat -> Ben
        net.delegations.grant(garden.id, garden.ben, by=garden.sam)  # Sam -> Ben
    pid = garden.propose(delegation=True)
    off = garden.propose()  # delegation is off by default
    for proposal in (pid, off):
        garden.vote(proposal, {garden.ben: "yes", garden.ana: "no", garden.sam: "no"})
    net.proposals.close_due()
    tally = net.proposals.results(pid)["tally"]
    # Sam voted directly, so only Cat's vote went to Ben.
    assert (tally["yes"], tally["no"], tally["delegation"]["delegated_votes"]) == (2, 2, 1)
    assert tally["delegation"]["transfers"] == [{"from": str(garden.cat), "to": str(garden.ben)}]
    assert net.proposals.results(off)["tally"]["yes"] == 1
    assert net.proposals.recount(pid)["agrees"]


def test_one_ballot_per_voter_under_concurrent_casting(garden: Circle) -> None:
    net = garden.net
    pid = garden.propose("irv", ("pear", "plum", "fig"))
    voters = [garden.sam, garden.ana, garden.ben, garden.cat]
    others = [build(net.settings) for _ in range(3)]
    start = threading.Barrier(len(others))
    errors: list[BaseException] = []

    def cast(other: Network, shift: int) -> None:
        start.wait()
        try:
            with at(30):
                for i, voter in enumerate(voters * 2):
                    other.ballots.cast(pid, [(i + shift) % 3], by=voter)
        except BaseException as error:  # pragma: no cover - shown by the assertion
            errors.append(error)

    threads = [threading.Thread(target=cast, args=(o, n)) for n, o in enumerate(others)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for other in others:
        other.close()
    assert errors == []
    # Every voter has exactly one ballot: 24 casts made 4 ballots, the rest changes.
    casts = net.app.recorder.select_notifications(start=1, limit=1000,
                                                  topics=[get_topic(Ballot.Cast)])
    assert sorted(str(n.originator_id) for n in casts) == sorted(
        str(Ballot.create_id(pid, v)) for v in voters)
    net.proposals.close_due()
    assert net.proposals.results(pid)["tally"]["ballots"] == 4


def test_the_network_general_mandate_when_the_circle_has_none(network: Network) -> None:
    with at(-10):
        ana = network.members.add(email="ana@coop.test", name="Ana")
        circle = network.circles.form(name="Choir")
        network.circles.admit(circle, ana)
    with at(0):
        pid = network.proposals.draft(circle_id=circle, title="Sing", text="On Sundays",
                                      method="yes_no", by=ana)
        network.proposals.open(pid, closes_at=CLOSES, by=ana)
    proposal = network.proposals.get(pid)
    assert proposal["mandate"] is None
    assert proposal["decided_under"] == "the network's general mandate"
    assert isinstance(network.app.repository.get(pid), Proposal)
