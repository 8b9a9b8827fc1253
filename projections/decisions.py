"""Decision views: what each circle is deciding, who still has to vote, what was decided.

One row per proposal (its state, closing time and rules' flags, and, from its Closed
event only, the outcome and turnout), the frozen electorate of each opened proposal,
and who has cast a ballot (never what it says).

What this read model never holds, by design (see docs/governance.md):

- a choice: ballot events are read for their voter and proposal only, so a secret
  ballot's sealed choice, and an open ballot's plain one, never reach a row;
- any count of an open proposal: there is no running tally; counts come from the
  Closed event alone;
- who voted on an open proposal whose results are hidden: that would count its
  ballots before close. Such ballots are skipped entirely, so a member's pending
  vote there is told by the member's own ballot (``Ballots.mine``), not from here.
"""

from __future__ import annotations

from typing import Any

from domain.ballot import Ballot
from domain.proposal import CLOSED, DRAFTED, OPEN, WITHDRAWN, Proposal
from projections.base import Table, micros
from projections.listing import ByEvent, insert, sid
from projections.store import Tx

PROPOSALS = Table(
    "decision_proposals",
    # decided_under: the mandate's domain the opening cited, '' for the network's
    # general mandate. winner: the winning option's text. turnout: an exact fraction.
    "proposal_id TEXT NOT NULL, circle_id TEXT NOT NULL, title TEXT NOT NULL, "
    "method TEXT NOT NULL, author_id TEXT NOT NULL, state TEXT NOT NULL, "
    "drafted_at BIGINT NOT NULL, drafted_position BIGINT NOT NULL, "
    "opened_at BIGINT, closes_at BIGINT, secret INTEGER, hidden_results INTEGER, "
    "delegation INTEGER, electorate BIGINT, decided_under TEXT, "
    "ended_at BIGINT, ended_position BIGINT, outcome TEXT, winner TEXT, ballots BIGINT, "
    "votes BIGINT, turnout TEXT, quorum_met INTEGER, early INTEGER, withdrawal_reason TEXT, "
    "position BIGINT NOT NULL",
    key=("proposal_id",),
    indexes=("state, closes_at", "state, ended_position", "state, drafted_position",
             "circle_id, state"),
)
ELECTORATE = Table(
    "decision_electorate",
    "proposal_id TEXT NOT NULL, member_id TEXT NOT NULL, position BIGINT NOT NULL",
    key=("proposal_id", "member_id"),
    indexes=("member_id",),
)
VOTERS = Table(
    "decision_voters",
    # Who has cast a ballot: never a choice, never on a proposal with hidden results.
    "proposal_id TEXT NOT NULL, member_id TEXT NOT NULL, position BIGINT NOT NULL",
    key=("proposal_id", "member_id"),
)

_DRAFT_COLS = ("proposal_id", "circle_id", "title", "method", "author_id", "state",
               "drafted_at", "drafted_position", "position")


class DecisionsProjection(ByEvent):
    name = "decisions"
    version = 1
    tables = (PROPOSALS, ELECTORATE, VOTERS)
    events = (Proposal.Drafted, Proposal.Edited, Proposal.Opened, Proposal.Closed,
              Proposal.Withdrawn, Ballot.Cast)

    def _Proposal_Drafted(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute(insert(PROPOSALS, _DRAFT_COLS), (
            sid(e.originator_id), sid(e.circle_id), e.title, e.method, sid(e.by), DRAFTED,
            micros(e.timestamp), pos, pos))

    def _Proposal_Edited(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute("UPDATE {decision_proposals} SET title = ?, method = ?, position = ? "
                   "WHERE proposal_id = ?", (e.title, e.method, pos, sid(e.originator_id)))

    def _Proposal_Opened(self, tx: Tx, pos: int, e: Any) -> None:
        proposal_id = sid(e.originator_id)
        rules = e.rules
        tx.execute(
            "UPDATE {decision_proposals} SET state = ?, opened_at = ?, closes_at = ?, "
            "secret = ?, hidden_results = ?, delegation = ?, electorate = ?, "
            "decided_under = ?, position = ? WHERE proposal_id = ?",
            (OPEN, micros(e.timestamp), micros(e.closes_at), int(rules["secret"]),
             int(rules["hidden_results"]), int(rules["delegation"]), len(e.electorate),
             (e.mandate or {}).get("domain", ""), pos, proposal_id))
        tx.executemany(insert(ELECTORATE, ("proposal_id", "member_id", "position")),
                       [(proposal_id, member, pos) for member in e.electorate])

    def _Proposal_Closed(self, tx: Tx, pos: int, e: Any) -> None:
        tally = e.tally
        winner = tally["options"][e.winner] if e.winner is not None else None
        tx.execute(
            "UPDATE {decision_proposals} SET state = ?, ended_at = ?, ended_position = ?, "
            "outcome = ?, winner = ?, ballots = ?, votes = ?, turnout = ?, quorum_met = ?, "
            "early = ?, position = ? WHERE proposal_id = ?",
            (CLOSED, micros(e.timestamp), pos, e.outcome, winner, tally["ballots"],
             tally["votes"], tally["turnout"], int(tally["quorum_met"]), int(e.early), pos,
             sid(e.originator_id)))

    def _Proposal_Withdrawn(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute("UPDATE {decision_proposals} SET state = ?, ended_at = ?, "
                   "ended_position = ?, withdrawal_reason = ?, position = ? "
                   "WHERE proposal_id = ?",
                   (WITHDRAWN, micros(e.timestamp), pos, e.reason, pos, sid(e.originator_id)))

    def _Ballot_Cast(self, tx: Tx, pos: int, e: Any) -> None:
        # Only who voted and where: e.choice and e.sealed are never read.
        proposal_id = sid(e.proposal_id)
        rows = tx.fetchall("SELECT hidden_results FROM {decision_proposals} "
                           "WHERE proposal_id = ?", (proposal_id,))
        if not rows or rows[0][0] != 0:
            return  # results hidden until close: not even who voted is kept
        tx.execute(insert(VOTERS, ("proposal_id", "member_id", "position")),
                   (proposal_id, sid(e.by), pos))
