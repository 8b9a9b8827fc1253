"""The audit log through the services and the command line, on every backend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from coop.audit.export import Selection
from coop.audit.verify import ChainBroken, read, verify
from coop.bootstrap import Network
from coop.cli import main
from coop.services.authority import OPERATOR
from domain import clock
from domain.errors import NotAllowed, NotFound
from projections.audit import REDACTED

T0 = clock.now().replace(microsecond=0) - timedelta(hours=5)


@dataclass
class Story:
    """Sam the steward, Ana, Ben and Cat; a garden circle of Sam, Ana and Ben; a give
    and a referral between Ana and Ben; a secret and an open proposal voted on."""

    net: Network
    sam: UUID
    ana: UUID
    ben: UUID
    cat: UUID
    garden: UUID
    secret_vote: UUID
    open_vote: UUID


def at(minutes: int) -> object:
    return clock.frozen_at(T0 + timedelta(minutes=minutes))


@pytest.fixture
def story(network: Network) -> Story:
    net = network
    with at(0):
        sam, ana, ben, cat = (net.members.add(email=f"{n}@coop.test", name=f"{n.title()} Doe",
                                              steward=n == "sam")
                              for n in ("sam", "ana", "ben", "cat"))
        garden = net.circles.form(name="Garden", purpose="The shared garden")
        for member in (sam, ana, ben):
            net.circles.admit(garden, member)
    with at(10):
        give = net.gives.record(receiver_id=ben, hours="2", description="Dug the beds",
                                circle_id=garden, by=ana)
        net.gives.confirm(give, by=ben)
    with at(20):
        referral = net.referrals.make(receiver_id=ana, prospect="Dora Diaz", need="bread",
                                      warmth=4, by=ben)
        net.referrals.accept(referral, by=ana)
    votes = []
    for minute, secret in ((30, True), (40, False)):
        with at(minute):
            pid = net.proposals.draft(circle_id=garden, title="Plant figs", text="Two figs.",
                                      method="yes_no", by=ana)
            net.proposals.open(pid, closes_at=T0 + timedelta(hours=4), secret=secret, by=ana)
        with at(minute + 5):
            net.ballots.cast(pid, "yes", by=ana)
            net.ballots.cast(pid, "no", by=ben)
            net.ballots.cast(pid, "abstain", by=ben)  # a change of mind
        votes.append(pid)
    return Story(net, sam, ana, ben, cat, garden, *votes)


def export(net: Network, path: Path, selection: Selection = Selection(), fmt: str = "jsonl",
           by: UUID = OPERATOR) -> int:
    made = net.audit.export(selection, fmt, by=by)
    with open(path, "w", encoding="utf-8", newline="") as file:
        for chunk in made.chunks:
            file.write(chunk)
    return made.lines


def lines_in(path: Path) -> list[dict]:
    return [line for line in map(json.loads, path.read_text().splitlines()) if "hash" in line]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_full_export_verifies_against_the_head(story: Story, tmp_path: Path,
                                                   fmt: str) -> None:
    path = tmp_path / f"all.{fmt}"
    count = export(story.net, path, fmt=fmt)
    status = story.net.audit.status(by=story.sam)
    report = verify(read(path), head=status["hash"])
    assert report.lines == count == status["lines"]
    assert report.head == status["hash"]
    assert report.last == status["position"] == story.net.app.last_position()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_filtered_exports_verify_and_hold_only_what_was_asked_for(story: Story,
                                                                  tmp_path: Path,
                                                                  fmt: str) -> None:
    net, path = story.net, tmp_path / f"part.{fmt}"
    head = net.audit.status(by=story.sam)["hash"]
    for selection, kind in (
        (Selection(actions=("give.recorded", "give.confirmed")), "slice"),
        (Selection(circle=str(story.garden)), "slice"),
        (Selection(member=str(story.cat)), "slice"),
        (Selection(since=5, until=12), "range"),
        (Selection(since=T0 + timedelta(minutes=10), until=T0 + timedelta(minutes=30)), "range"),
    ):
        count = export(net, path, selection, fmt)
        if fmt == "csv":  # a CSV file does not say what it is, nor carry the head
            report = verify(read(path), kind=kind)
        else:
            report = verify(read(path), head=head)
        assert (report.kind, report.lines) == (kind, count) and count > 0
    # The last export: the give and the referral, between minutes 10 and 30.
    if fmt == "jsonl":
        assert {line["action"] for line in lines_in(path)} == {
            "give.recorded", "give.confirmed", "referral.made", "referral.accepted"}


def test_a_slice_names_only_the_lines_it_was_asked_for(story: Story, tmp_path: Path) -> None:
    net, path = story.net, tmp_path / "slice.jsonl"
    export(net, path, Selection(circle=str(story.garden)))
    assert {line["circle"] for line in lines_in(path)} == {str(story.garden)}
    export(net, path, Selection(member=str(story.cat)))
    assert [line["action"] for line in lines_in(path)] == ["member.joined"]
    export(net, path)
    every = [line["position"] for line in lines_in(path)]
    export(net, path, Selection(since=3, until=6))
    assert [line["position"] for line in lines_in(path)] == [p for p in every if 3 <= p < 6]


def test_a_secret_ballot_never_links_a_voter_to_a_choice(story: Story, tmp_path: Path) -> None:
    path = tmp_path / "ballots.jsonl"
    export(story.net, path, Selection(actions=("ballot.cast", "ballot.changed")))
    by_proposal: dict[str, list[dict]] = {}
    ballot_of: dict[str, str] = {}
    for line in lines_in(path):
        details = line["details"]
        proposal = details.get("proposal_id") or ballot_of[line["target"]["id"]]
        ballot_of[line["target"]["id"]] = proposal
        by_proposal.setdefault(proposal, []).append(details)
    secret, open_ = by_proposal[str(story.secret_vote)], by_proposal[str(story.open_vote)]
    assert all(d["sealed"] == REDACTED and d["choice"] is None for d in secret)
    assert [d["choice"] for d in open_] == ["yes", "no", "abstain"]


def test_no_email_or_name_appears_in_clear(story: Story, tmp_path: Path) -> None:
    path = tmp_path / "all.csv"
    export(story.net, path, fmt="csv")
    text = path.read_text()
    for personal in ("ana@coop.test", "Ana Doe", "Dug the beds", "Dora Diaz"):
        assert personal not in text
    assert "hmac-sha256:" in text


def test_a_member_exports_their_own_lines_and_nothing_else(story: Story,
                                                           tmp_path: Path) -> None:
    net = story.net
    with pytest.raises(NotAllowed):
        net.audit.export(Selection(), by=story.ben)
    with pytest.raises(NotAllowed):
        net.audit.export(Selection(member=str(story.ana)), by=story.ben)
    with pytest.raises(NotAllowed):
        net.audit.status(by=story.ben)
    made = net.audit.my_events("jsonl", by=story.ben)
    lines = [json.loads(t) for t in "".join(made.chunks).splitlines()][1:-1]
    ben = str(story.ben)
    for line in lines:
        assert ben in (line["actor"], line["target"]["id"], *line["details"].values()) or \
            line["target"]["type"] in ("give", "referral")
    assert {"give.confirmed", "referral.accepted", "ballot.changed"} <= {
        line["action"] for line in lines}
    # A steward may ask for anyone's lines.
    assert export(net, tmp_path / "ana.jsonl", Selection(member=str(story.ana)),
                  by=story.sam) > 0


def test_a_rebuild_gives_every_line_the_same_hash(story: Story) -> None:
    net = story.net

    def chain() -> list[tuple]:
        with net.read_models.reading() as tx:
            return tx.fetchall("SELECT position, hash FROM {audit_lines} ORDER BY position")

    net.projector.batch_size = 3  # the live chain in small batches, the rebuild in one
    net.projector.catch_up(["audit"])
    before = chain()
    net.projector.rebuild("audit")
    assert chain() == before and len(before) == net.audit.status(by=story.sam)["lines"]


def test_lines_written_while_an_export_streams_are_left_out(story: Story) -> None:
    net = story.net
    before = net.audit.status(by=story.sam)
    made = net.audit.export(Selection(), by=OPERATOR)
    first = next(made.chunks)
    net.members.add(email="late@coop.test", name="Late Comer")
    net.projector.catch_up(["audit"])
    text = first + "".join(made.chunks)
    assert made.lines == before["lines"]
    assert json.loads(text.splitlines()[-1])["head"] == {"hash": before["hash"],
                                                         "position": before["position"]}
    assert net.audit.status(by=story.sam)["lines"] == before["lines"] + 1


def test_the_command_line_exports_and_verifies(story: Story, tmp_path: Path, monkeypatch,
                                               capsys) -> None:
    monkeypatch.setenv("COOP_DATA_DIR", str(story.net.settings.data_dir))
    if story.net.settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", story.net.settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    path = tmp_path / "ben.csv"
    assert main(["audit", "export", "--format", "csv", "--member", "ben@coop.test",
                 "--action", "give.confirmed", "-o", str(path)]) == 0
    assert "Exported 1 lines (slice)" in capsys.readouterr().err
    assert main(["audit", "head"]) == 0
    head = capsys.readouterr().out.split()[1]
    path = tmp_path / "all.jsonl"
    assert main(["audit", "export", "-o", str(path)]) == 0
    assert main(["audit", "verify", str(path), "--head", head]) == 0
    assert capsys.readouterr().out.startswith("chain holds:")
    # One changed hour is caught, with the line named, and a one-line error.
    text = path.read_text().splitlines(keepends=True)
    changed = next(i for i, t in enumerate(text) if '"hours":"2.00"' in t)
    text[changed] = text[changed].replace('"hours":"2.00"', '"hours":"3.00"')
    path.write_text("".join(text))
    assert main(["audit", "verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"coop: error: line {changed + 1} ") and err.count("\n") == 1
    assert main(["audit", "export", "--since", "yesterday-ish"]) == 2
    assert "neither a log position" in capsys.readouterr().err


def test_verify_refuses_a_tampered_export_through_the_api(story: Story,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    export(story.net, path)
    text = path.read_text().splitlines(keepends=True)
    del text[4]
    path.write_text("".join(text))
    with pytest.raises(ChainBroken, match="line 5 .*missing before it"):
        verify(read(path))


def test_an_export_of_a_member_or_circle_that_does_not_exist_is_not_found(
        story: Story) -> None:
    with pytest.raises(NotFound, match="no member"):
        story.net.audit.export(Selection(member=str(uuid4())), by=story.sam)
    with pytest.raises(NotFound, match="no circle"):
        story.net.audit.export(Selection(circle=str(uuid4())), by=story.sam)


def test_lines_from_an_open_vote_with_hidden_results_are_held_back_until_it_closes(
        story: Story, tmp_path: Path) -> None:
    net = story.net
    # A vote with hidden results is drafted, opens, and two members vote on it.
    with at(60):
        hidden = net.proposals.draft(circle_id=story.garden, title="Sell the figs",
                                     text="At the market.", method="yes_no", by=story.ana)
        before = net.audit.status(by=OPERATOR)
        net.proposals.open(hidden, closes_at=T0 + timedelta(hours=6), hidden_results=True,
                           allow_early_close=True, by=story.ana)
    with at(61):
        net.ballots.cast(hidden, "yes", by=story.ana)
        net.ballots.cast(hidden, "no", by=story.ben)
    # While it is open, exports end before its opening: the ballots cannot be counted.
    held = net.audit.status(by=OPERATOR)
    assert (held["position"], held["hash"], held["lines"]) == (
        before["position"], before["hash"], before["lines"])
    assert held["held_back"] is True
    export(net, tmp_path / "held.jsonl")
    actions = [line["action"] for line in lines_in(tmp_path / "held.jsonl")]
    assert "proposal.opened" in actions  # the earlier, visible votes
    assert all(line["position"] <= before["position"]
               for line in lines_in(tmp_path / "held.jsonl"))
    # Once it closes, every line is published, unchanged, and the chain holds.
    with at(62):
        net.proposals.close_early(hidden, by=story.sam)
    after = net.audit.status(by=OPERATOR)
    assert after["held_back"] is False and after["lines"] > before["lines"] + 3
    export(net, tmp_path / "all.jsonl")
    assert verify(read(tmp_path / "all.jsonl"), head=after["hash"]).lines == after["lines"]
