"""``coop tally`` and ``coop proposals close-due`` from the command line."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from coop.bootstrap import Network
from coop.cli import main
from coop.config import ConfigurationError
from coop.services.ballot_box import BallotBox
from coop.services.authority import OPERATOR
from domain import clock
from domain.proposal import Proposal
from tests.integration.test_governance import CLOSES, at


@dataclass
class Result:
    code: int
    out: str
    err: str


Coop = Callable[..., Result]


@pytest.fixture
def coop(network: Network, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Coop:
    """``coop`` in-process against the ``network`` fixture's store, on each backend."""
    monkeypatch.setenv("COOP_DATA_DIR", str(network.settings.data_dir))
    monkeypatch.delenv("COOP_BALLOT_KEY", raising=False)
    if network.settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", network.settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def voters(network: Network) -> tuple[UUID, list[UUID]]:
    with at(-10):
        people = [network.members.add(email=f"v{i}@coop.test", name=f"V{i}") for i in range(5)]
        circle = network.circles.form(name="Allotments")
        for member in people:
            network.circles.admit(circle, member)
    return circle, people


def hold(net: Network, circle: UUID, people: list[UUID], method: str, options: tuple[str, ...],
         ballots: list[object], **rules: object) -> UUID:
    with at(0):
        pid = net.proposals.draft(circle_id=circle, title="Capital", text="Where?",
                                  method=method, options=options, by=people[0])
        net.proposals.open(pid, closes_at=CLOSES, by=people[0], **rules)
    with at(10):
        for voter, choice in zip(people, ballots):
            net.ballots.cast(pid, choice, by=voter)
    return pid


def test_init_creates_a_ballot_key_only_its_owner_can_read(network: Network) -> None:
    mode = network.settings.ballot_key_path.stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_ballot_key_others_can_read_is_refused(network: Network) -> None:
    network.settings.ballot_key_path.chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        BallotBox(network.settings).seed(uuid4())


def test_a_short_ballot_key_in_the_environment_is_one_line(
        coop: Coop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOP_BALLOT_KEY", "too short")
    result = coop("tally", str(uuid4()))
    assert (result.code, result.err) == (
        3, "coop: error: COOP_BALLOT_KEY must be at least 32 characters long\n")


def test_close_due_then_tally_prints_the_rounds_and_agrees(
        network: Network, voters: tuple[UUID, list[UUID]], coop: Coop) -> None:
    circle, people = voters
    pid = hold(network, circle, people, "irv", ("Memphis", "Nashville", "Knoxville"),
               [[0], [0], [1, 2], [2, 1], [2, 1]])
    closed = coop("proposals", "close-due")
    assert closed.code == 0 and f"Closed {pid} 'Capital': winner Knoxville" in closed.out
    assert coop("proposals", "close-due").out.strip() == "No proposal is due to close."
    tally = coop("tally", str(pid))
    assert tally.code == 0, tally.err
    assert "round 1: Memphis 2  Nashville 1  Knoxville 2  exhausted 0  -> Nashville eliminated" \
        in tally.out
    assert "round 2: Memphis 2  Knoxville 3  exhausted 0  -> Knoxville elected" in tally.out
    assert "Outcome: winner Knoxville" in tally.out
    assert tally.out.rstrip().endswith("Recount agrees with the recorded outcome.")


def test_tally_of_an_open_hidden_proposal_prints_no_count(
        network: Network, voters: tuple[UUID, list[UUID]], coop: Coop) -> None:
    circle, people = voters
    with at(0):
        pid = network.proposals.draft(circle_id=circle, title="Fence", text="Build it",
                                      method="yes_no", by=people[0])
        network.proposals.open(pid, closes_at=clock.now() + timedelta(hours=2),
                               hidden_results=True, by=people[0])
        network.ballots.cast(pid, "yes", by=people[1])
    tally = coop("tally", str(pid))
    assert tally.code == 0
    assert "its results are hidden until it closes. No counts shown." in tally.out
    assert "yes 1" not in tally.out and "ballots" not in tally.out


def test_tally_exits_1_with_one_line_when_the_record_disagrees(
        network: Network, voters: tuple[UUID, list[UUID]], coop: Coop) -> None:
    circle, people = voters
    pid = hold(network, circle, people, "yes_no", (), ["yes", "no", "no"])
    # A close recorded by faulty counting code: one "no" counted as a "yes".
    proposal = network.app.repository.get(pid)
    assert isinstance(proposal, Proposal)
    tally, mixed, cut, seed = network.proposals.tallies.at_close(proposal)
    forged = {**tally, "yes": 2, "no": 1, "support": "2/3", "outcome": "passed"}
    proposal.close(tally=forged, seed=seed, mixed=mixed, cut=cut, now=clock.now(),
                   early=False, by=OPERATOR)
    network.app.save(proposal)
    result = coop("tally", str(pid))
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert result.err.startswith(
        f"coop: error: recount disagrees with the recorded outcome of {pid}")
    assert "MISMATCH: no: recorded 1, recounted 2" in result.out


def test_tally_of_an_unknown_proposal_is_one_line(coop: Coop) -> None:
    result = coop("tally", "not-an-id")
    assert (result.code, result.err) == (1, "coop: error: no proposal with id 'not-an-id'\n")
