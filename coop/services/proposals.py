"""Drafting, opening, withdrawing and closing proposals; reading them and their results.

Read methods never give a count of any kind for an open proposal whose results are
hidden (nor counts by option for an open secret one): the web, the API and the exports
read proposals through here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from coop.application import CoopApplication
from coop.services.authority import OPERATOR, Authority
from coop.services.ballot_box import BallotBox
from coop.services.ballot_log import notifications
from coop.services.tallies import Tallies
from domain import clock
from domain.counting.common import Rules
from domain.errors import ConcurrentChange, CoopError, NotAllowed, NotTheAuthor, ResultsHidden
from domain.proposal import (
    AMENDED,
    CLOSED,
    DRAFTED,
    OPEN,
    RULED_OUT,
    WITHDRAWN,
    Proposal,
    seed_commitment,
)

GENERAL_MANDATE = "the network's general mandate"


class Proposals:
    def __init__(self, app: CoopApplication, authority: Authority, box: BallotBox,
                 tallies: Tallies) -> None:
        self.app, self.authority, self.box, self.tallies = app, authority, box, tallies
        # close_due() remembers which proposals it has seen open, and how far it read.
        self._due_lock = threading.Lock()
        self._read_up_to = 0
        self._open: set[UUID] = set()

    def load(self, proposal_id: UUID | str) -> Proposal:
        return self.app.load(Proposal, proposal_id, "proposal")

    def _check_author_or_steward(self, proposal: Proposal, by: UUID, doing: str) -> None:
        if by == proposal.author:
            self.authority.active(by)
        elif not self.authority.is_steward(by):
            raise NotTheAuthor(f"only the author of the proposal or a steward may {doing}")

    # Drafting
    def draft(self, *, circle_id: UUID | str, title: str, text: str, method: str,
              options: Sequence[str] = (), by: UUID) -> UUID:
        """Draft a proposal in a circle; members of the circle only."""
        circle = self.authority.circle_member(circle_id, by)
        proposal = Proposal.draft(circle_id=circle.id, title=title, text=text, method=method,
                                  options=options, by=by)
        self.app.save(proposal)
        return proposal.id

    def edit(self, proposal_id: UUID | str, *, title: str, text: str, method: str,
             options: Sequence[str] = (), by: UUID) -> None:
        """Change a draft; its author only."""
        self.authority.active(by)
        proposal = self.load(proposal_id)
        if by != proposal.author:
            raise NotTheAuthor("only the author edits a draft")
        self.app.change(Proposal, proposal.id, "proposal", lambda p: p.edit(
            title=title, text=text, method=method, options=options, by=by))

    # Opening
    def open(self, proposal_id: UUID | str, *, closes_at: datetime, quorum: object = "0",
             threshold: object = "1/2", strict: bool = True, base: str = "yes+no",
             secret: bool = False, hidden_results: bool = False,
             allow_early_close: bool = False, delegation: bool = False,
             by: UUID) -> None:
        """Lock the rules and freeze the electorate: the circle's active members now."""
        proposal = self.load(proposal_id)
        self._check_author_or_steward(proposal, by, "open it")
        rules = Rules.make(method=proposal.method, options=proposal.options, quorum=quorum,
                           threshold=threshold, strict=strict, base=base, secret=secret,
                           hidden_results=hidden_results, allow_early_close=allow_early_close,
                           delegation=delegation)
        circle = self.authority.circle(proposal.circle_id)
        electorate = [m for m in circle.members if not self.authority.member(m).has_left]
        mandate = dict(circle.mandates[-1]) if circle.mandates else None
        commitment = seed_commitment(self.box.seed(proposal.id))
        self.app.change(Proposal, proposal.id, "proposal", lambda p: p.open(
            rules=rules, closes_at=closes_at, electorate=electorate, mandate=mandate,
            tie_break_commitment=commitment, now=clock.now(), by=by))

    # Consent
    def resolve_objection(self, proposal_id: UUID | str, number: int, *, how: str,
                          note: str = "", amended_text: str = "", by: UUID) -> None:
        """Resolve an objection by amending the text or ruling it out with a reason."""
        proposal = self.load(proposal_id)
        if how not in (AMENDED, RULED_OUT):
            raise NotAllowed("an objection is resolved by an amendment or ruled out")
        self._check_author_or_steward(proposal, by, "resolve objections")
        self.app.change(Proposal, proposal.id, "proposal", lambda p: p.resolve_objection(
            number=int(number), how=how, note=note, amended_text=amended_text,
            now=clock.now(), by=by))

    # Ending
    def withdraw(self, proposal_id: UUID | str, *, reason: str, by: UUID) -> None:
        proposal = self.load(proposal_id)
        self._check_author_or_steward(proposal, by, "withdraw it")
        self.app.change(Proposal, proposal.id, "proposal",
                        lambda p: p.withdraw(reason=reason, now=clock.now(), by=by))

    def close_early(self, proposal_id: UUID | str, *, by: UUID) -> dict[str, Any]:
        """Close before the closing time: a steward's act, when the rules allow it."""
        self.load(proposal_id)
        self.authority.check_steward(by, "close a proposal early")
        return self._close(proposal_id, now=clock.now(), early=True, by=by)

    def _close(self, proposal_id: UUID | str, *, now: datetime, early: bool,
               by: UUID) -> dict[str, Any]:
        proposal = self.load(proposal_id)
        proposal.open_rules()
        tally, mixed, cut, seed = self.tallies.at_close(proposal)
        proposal.close(tally=tally, seed=seed, mixed=mixed, cut=cut, now=now, early=early, by=by)
        self.app.save(proposal)
        return self.results(proposal.id)

    def close_due(self, now: datetime | None = None) -> dict[str, list[Any]]:
        """Close every open proposal whose closing time has passed.

        Safe to run from several processes at once: a proposal closed by another is
        skipped. One proposal that cannot be counted does not stop the others.
        """
        now = now or clock.now()
        closed: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        with self._due_lock:
            for proposal_id in sorted(self._find_open(), key=str):
                proposal = self.load(proposal_id)
                if proposal.state != OPEN:
                    self._open.discard(proposal_id)
                    continue
                assert proposal.closes_at is not None
                if proposal.closes_at > now:
                    continue
                try:
                    result = self._close(proposal_id, now=now, early=False, by=OPERATOR)
                except ConcurrentChange:
                    continue  # closed by another process at the same moment
                except CoopError as error:
                    if self.load(proposal_id).state != OPEN:
                        continue  # closed (or withdrawn) by another process meanwhile
                    failed.append({"id": proposal_id, "title": proposal.title,
                                   "error": str(error)})
                    continue
                self._open.discard(proposal_id)
                closed.append({"id": proposal_id, "title": proposal.title,
                               "outcome": result["outcome"], "winner": result["winner"],
                               "options": list(proposal.options)})
        return {"closed": closed, "failed": failed}

    def _find_open(self) -> set[UUID]:
        """Return the ids of proposals opened so far (some may have closed since)."""
        upto = self.app.last_position()
        for n in notifications(self.app, (get_topic(Proposal.Opened),),
                               after=self._read_up_to, upto=upto):
            self._open.add(n.originator_id)
        self._read_up_to = upto
        return set(self._open)

    # Reading
    def get(self, proposal_id: UUID | str) -> dict[str, Any]:
        """Return a proposal without any count (see results() for those)."""
        p = self.load(proposal_id)
        rules = p.rules
        return {
            "id": p.id, "circle_id": p.circle_id, "title": p.title, "text": p.text,
            "text_version": p.text_version, "method": p.method, "options": list(p.options),
            "author": p.author, "state": p.state, "drafted_at": p.created_on,
            "rules": rules.to_dict() if rules else None, "closes_at": p.closes_at,
            "opened_at": p.opened_at, "ended_at": p.ended_at,
            "electorate": list(p.electorate), "electorate_hash": p.electorate_hash or None,
            "mandate": dict(p.mandate) if p.mandate else None,
            "decided_under": (p.mandate["domain"] if p.mandate else GENERAL_MANDATE)
            if p.state != DRAFTED else None,
            "tie_break_commitment": p.tie_break_commitment or None,
            "objections": [dict(o) for o in p.objections],
            "withdrawal_reason": p.withdrawal_reason or None,
        }

    def results(self, proposal_id: UUID | str) -> dict[str, Any]:
        """Return what may be known of the count now.

        Closed: the recorded tally, outcome and revealed seed. Open: ResultsHidden if
        the results are hidden; the number of ballots only, if the ballot is secret;
        else a provisional tally. Drafted or withdrawn: no count at all.
        """
        p = self.load(proposal_id)
        answer: dict[str, Any] = {
            "id": p.id, "state": p.state, "final": p.state == CLOSED, "tally": None,
            "ballots": None, "outcome": None, "winner": None,
        }
        if p.state == CLOSED:
            assert p.result is not None
            return answer | {
                "tally": p.result["tally"], "ballots": p.result["tally"]["ballots"],
                "outcome": p.result["outcome"], "winner": p.result["winner"],
                "counting_version": p.result["counting_version"],
                "tie_break_seed": p.result["tie_break_seed"], "early": p.result["early"],
                "closed_at": p.ended_at,
            }
        if p.state in (DRAFTED, WITHDRAWN):
            return answer
        rules = p.open_rules()
        if rules.hidden_results:
            raise ResultsHidden("the results of this proposal are hidden until it closes")
        if rules.secret:
            return answer | {"ballots": self.tallies.turnout(p)}
        tally = self.tallies.provisional(p)
        return answer | {"tally": tally, "ballots": tally["ballots"]}

    def recount(self, proposal_id: UUID | str) -> dict[str, Any]:
        """Recount from the events alone (see Tallies.recount)."""
        return self.tallies.recount(self.load(proposal_id))
