"""The decision views' read model: sections, pending votes, as-of, and what it never holds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from coop.bootstrap import Network
from projections.listing import Paging
from tests.unit.projections.fakes import rows_of
from tests.unit.projections.histories import History, assert_rebuild_equals_incremental

T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
WEEK = timedelta(days=7)


def governance(net: Network) -> History:
    """Play a month of a circle of four deciding things, every state and rule once."""
    h = History(moment=T0)
    ids = h.ids
    with h.at():
        ids["sam"] = net.members.add(email="sam@coop.test", name="Sam Steward", steward=True)
        for key in ("ann", "bo", "cy", "di"):
            ids[key] = net.members.add(email=f"{key}@coop.test", name=key.title())
        ids["garden"] = net.circles.form(name="Garden", purpose="The shared garden")
        for key in ("sam", "ann", "bo", "cy"):
            net.circles.admit(ids["garden"], ids[key])
        net.circles.grant_mandate(ids["garden"], domain="the garden", decision="assembly 1")
    p, ballots = net.proposals, net.ballots

    def draft(key: str, method: str = "yes_no", options: tuple[str, ...] = ()) -> None:
        ids[key] = p.draft(circle_id=ids["garden"], title=key.replace("_", " ").title(),
                           text="Why we should.", method=method, options=options,
                           by=ids["ann"])

    with h.at():
        draft("compost_bins")
        draft("draft_title_changed")
        draft("withdrawn_draft")
        draft("secret_vote", "irv", ("Apples", "Pears", "Plums"))
        draft("hidden_vote", "approval", ("Monday", "Tuesday", "Friday"))
        draft("early_vote")
        draft("open_vote")
    with h.at():
        p.edit(ids["draft_title_changed"], title="A Better Title", text="x", method="consent",
               by=ids["ann"])
        p.withdraw(ids["withdrawn_draft"], reason="Not needed", by=ids["ann"])
        closes = h.moment + WEEK
        p.open(ids["compost_bins"], closes_at=closes, by=ids["ann"])
        p.open(ids["secret_vote"], closes_at=closes + timedelta(hours=1), secret=True,
               by=ids["ann"])
        p.open(ids["hidden_vote"], closes_at=closes + timedelta(days=30), hidden_results=True,
               by=ids["ann"])
        p.open(ids["early_vote"], closes_at=closes + timedelta(days=29),
               allow_early_close=True, by=ids["ann"])
        p.open(ids["open_vote"], closes_at=closes + timedelta(days=31), delegation=True,
               by=ids["ann"])
    with h.at():
        # Di joins after the opening: she has no vote on any of these.
        net.circles.admit(ids["garden"], ids["di"])
        for key, choice in (("ann", "yes"), ("bo", "yes"), ("cy", "yes")):
            ballots.cast(ids["compost_bins"], choice, by=ids[key])
        for key, ranking in (("ann", [0, 1]), ("bo", [1, 0, 2]), ("cy", [0])):
            ballots.cast(ids["secret_vote"], ranking, by=ids[key])
        ballots.cast(ids["hidden_vote"], [0, 2], by=ids["bo"])
        ballots.cast(ids["early_vote"], "no", by=ids["bo"])
        ballots.cast(ids["open_vote"], "abstain", by=ids["cy"])
    with h.at():
        ballots.cast(ids["compost_bins"], "no", by=ids["cy"])  # changed, still one ballot
        p.close_early(ids["early_vote"], by=ids["sam"])
    with h.at(days=8):
        # Two runs of the schedule: the compost vote closes first, then the secret one.
        p.close_due(closes + timedelta(minutes=30))
        p.close_due(closes + timedelta(hours=2))
    return h


@pytest.fixture
def gov(sqlite_network: Network) -> tuple[Network, History]:
    return sqlite_network, governance(sqlite_network)


def titles(items: Any) -> list[str]:
    return [i["title"] for i in items]


def now_of(h: History) -> datetime:
    return h.moment


def test_each_section_lists_its_proposals(gov):
    net, h = gov
    d, now = net.decisions, now_of(h)
    open_ = d.section("open", Paging(), now=now).items
    assert titles(open_) == ["Hidden Vote", "Open Vote"]  # soonest closing first
    assert all(item["time_left"] == item["closes_at"] - now for item in open_)
    assert all("outcome" not in item and "ballots" not in item for item in open_)
    assert titles(d.section("drafts", Paging(), now=now).items) == ["A Better Title"]
    outcomes = d.section("outcomes", Paging(), now=now).items
    assert [(o["title"], o["outcome"], o["winner"], o["ballots"], o["turnout"])
            for o in outcomes] == [
        ("Secret Vote", "winner", "Apples", 3, "3/4"),
        ("Compost Bins", "passed", None, 3, "3/4"),  # yes 2, no 1 (Cy changed to no)
        ("Early Vote", "failed", None, 1, "1/4"),
    ]
    assert outcomes[2]["early"] and outcomes[0]["decided_under"] == "the garden"
    withdrawn = d.section("withdrawn", Paging(), now=now).items
    assert [(w["title"], w["reason"]) for w in withdrawn] == [("Withdrawn Draft", "Not needed")]
    assert d.counts(circle_id=h["garden"]) == {"open": 2, "drafts": 1, "outcomes": 3,
                                               "withdrawn": 1}


def test_pending_votes_leave_out_those_who_voted_or_joined_later(gov):
    net, h = gov
    d, now = net.decisions, now_of(h)
    # Cy voted on the open vote; the hidden one cannot tell from here.
    pending = d.pending(h["cy"], now=now)
    assert [(p["title"], p["ballot_known"]) for p in pending] == [("Hidden Vote", False)]
    assert titles(d.pending(h["ann"], now=now)) == ["Hidden Vote", "Open Vote"]
    assert d.pending(h["di"], now=now) == []  # joined after the opening
    # Once the closing time has passed nothing is pending, recorded or not.
    assert d.pending(h["ann"], now=now + timedelta(days=60)) == []


def test_as_of_a_past_moment_proposals_are_as_they_were_then(gov):
    net, h = gov
    d = net.decisions
    before_close = T0 + timedelta(days=5, hours=1)  # after the early close
    then = {s: titles(d.section(s, Paging(), now=h.moment, as_of=before_close).items)
            for s in ("open", "drafts", "outcomes", "withdrawn")}
    assert then == {
        "open": ["Compost Bins", "Secret Vote", "Hidden Vote", "Open Vote"],
        "drafts": ["A Better Title"],
        "outcomes": ["Early Vote"],
        "withdrawn": ["Withdrawn Draft"],
    }
    # Closed since, but open then: no outcome shown, time left counted from then.
    compost = d.section("open", Paging(), now=h.moment, as_of=before_close).items[0]
    assert "outcome" not in compost and compost["time_left"] > timedelta(days=4)
    first_day = T0 + timedelta(days=2, hours=1)
    assert len(d.section("drafts", Paging(), now=h.moment, as_of=first_day).items) == 7


def test_the_read_model_holds_no_choice_and_no_count_of_a_hidden_open_proposal(gov):
    net, h = gov
    projection = net.projector.projection("decisions")
    net.decisions.counts()  # catch up
    rows = rows_of(net.read_models, projection)
    text = repr(rows)
    # Who voted is kept, never a choice: the voters table has ids and positions only.
    with net.read_models.reading() as tx:
        columns = [c[1] for c in tx.fetchall("PRAGMA table_info({decision_voters})")]
    assert columns == ["proposal_id", "member_id", "position"]
    # No sealed ballot (nor any part of one) is in any row.
    sealed = [e.sealed for e in _ballot_events(net) if e.sealed]
    assert sealed and not any(s[:24] in text for s in sealed)
    # The hidden proposal: no voter row, and no count on its row.
    hidden = str(h["hidden_vote"])
    assert not [r for r in rows["decision_voters"] if r[0] == hidden]
    row = _proposal_row(net, hidden)
    assert {k: row[k] for k in ("outcome", "ballots", "votes", "turnout", "quorum_met")} == {
        "outcome": None, "ballots": None, "votes": None, "turnout": None, "quorum_met": None}
    # An open proposal with results shown still has no running count here.
    assert _proposal_row(net, str(h["open_vote"]))["ballots"] is None


def test_ballots_on_a_hidden_proposal_change_no_row(gov):
    net, h = gov
    projection = net.projector.projection("decisions")
    net.decisions.counts()
    before = rows_of(net.read_models, projection)
    with h.at(hours=1):
        net.ballots.cast(h["hidden_vote"], [1], by=h["ann"])
        net.ballots.cast(h["hidden_vote"], [], by=h["bo"])
    net.decisions.counts()
    assert rows_of(net.read_models, projection) == before


def test_rebuild_equals_the_read_model_built_batch_by_batch(network: Network):
    governance(network)
    assert_rebuild_equals_incremental(network, "decisions")


def _ballot_events(net: Network) -> list[Any]:
    found = net.app.recorder.select_notifications(start=1, limit=10_000)
    return [e for e in map(net.app.mapper.to_domain_event, found)
            if type(e).__qualname__ in ("Ballot.Cast", "Ballot.Changed")]


def _proposal_row(net: Network, proposal_id: str) -> dict[str, Any]:
    with net.read_models.reading() as tx:
        cols = [c[1] for c in tx.fetchall("PRAGMA table_info({decision_proposals})")]
        row = tx.fetchall("SELECT * FROM {decision_proposals} WHERE proposal_id = ?",
                          (proposal_id,))[0]
    return dict(zip(cols, row, strict=True))
