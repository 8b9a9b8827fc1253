"""Casting ballots, and what may be read of them.

A secret proposal's choices are sealed before they are saved, so no event, read model
or export holds a plain choice that a voter's id sits next to. Who voted is not secret
(it is what makes one ballot per voter checkable), but while results are hidden not even
that is given out.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import Authority
from coop.services.ballot_box import BallotBox
from coop.services.ballot_log import read_cast
from domain import clock
from domain.ballot import Ballot
from domain.counting import check_choice
from domain.counting.common import CONSENT
from domain.errors import NotAllowed, NotFound, ResultsHidden
from domain.proposal import CLOSED, OBJECTION_WITHDRAWN, OPEN, Proposal


class Ballots:
    def __init__(self, app: CoopApplication, authority: Authority, box: BallotBox) -> None:
        self.app, self.authority, self.box = app, authority, box

    def _ballot(self, ballot_id: UUID) -> Ballot | None:
        try:
            return self.app.load(Ballot, ballot_id, "ballot")
        except NotFound:
            return None

    def cast(self, proposal_id: UUID | str, choice: object, *, reason: str = "",
             by: UUID) -> UUID:
        """Cast or change the acting member's ballot and return its id.

        Choices: "yes" / "no" / "abstain"; "consent" / "object" (with a reason, which
        raises an objection; consenting again withdraws one's open objections); a list
        of option numbers to approve; a ranking of option numbers, most preferred first
        (partial rankings allowed).
        """
        self.authority.active(by)

        def work() -> UUID:
            now = clock.now()
            proposal = self.app.load(Proposal, proposal_id, "proposal")
            proposal.check_takes_ballots(by, now)
            rules = proposal.open_rules()
            chosen = check_choice(rules, choice)
            if rules.method == CONSENT:
                if chosen == "object":
                    if reason.strip() or not proposal.open_objections(by):
                        proposal.raise_objection(reason=reason, now=now, by=by)
                else:
                    for number in proposal.open_objections(by):
                        proposal.resolve_objection(number=number, how=OBJECTION_WITHDRAWN,
                                                   now=now, by=by)
            ballot_id = Ballot.create_id(proposal.id, by)
            if rules.secret:
                marked: dict[str, Any] = {"sealed": self.box.seal(
                    proposal.id, ballot_id, chosen, len(rules.options))}
            else:
                marked = {"choice": chosen}
            ballot = self._ballot(ballot_id)
            if ballot is None:
                ballot = Ballot.cast(proposal_id=proposal.id, by=by, **marked)
            else:
                ballot.change(by=by, **marked)
            # One transaction: a consent ballot and the objection it raises, or neither.
            self.app.save(ballot, proposal)
            return ballot.id

        # Two casts by the same voter at once: the loser re-runs as a change.
        return self.app.attempt(work, retry=True)

    def mine(self, proposal_id: UUID | str, *, by: UUID) -> dict[str, Any]:
        """Return the acting member's own ballot (their sealed choice opened for them)."""
        proposal = self.app.load(Proposal, proposal_id, "proposal")
        ballot = self._ballot(Ballot.create_id(proposal.id, by))
        if ballot is None:
            return {"cast": False, "choice": None, "cast_at": None, "changed_at": None}
        choice = ballot.choice
        if ballot.sealed is not None:
            choice = self.box.open(proposal.id, ballot.id, ballot.sealed)
        return {
            "cast": True, "choice": choice, "cast_at": ballot.created_on,
            "changed_at": ballot.modified_on if ballot.version > 1 else None,
        }

    def voters(self, proposal_id: UUID | str) -> list[UUID]:
        """Return who has voted (counted, once closed); refused while results are hidden."""
        proposal = self._readable(proposal_id)
        return sorted(self._cast(proposal).voters, key=str)

    def choices(self, proposal_id: UUID | str) -> list[dict[str, Any]]:
        """Return each voter's choice on an open (not secret) ballot whose counts show."""
        proposal = self._readable(proposal_id)
        rules = proposal.rules
        if rules is not None and rules.secret:
            raise ResultsHidden("this ballot is secret: choices are never shown by voter")
        if proposal.state == OPEN and rules is not None and not rules.shows_counts_while_open:
            raise ResultsHidden("the results of this proposal are hidden until it closes")
        cast = self._cast(proposal)
        return [{"voter": v, "choice": cast.plain[v]} for v in sorted(cast.plain, key=str)]

    def _readable(self, proposal_id: UUID | str) -> Proposal:
        proposal = self.app.load(Proposal, proposal_id, "proposal")
        rules = proposal.rules
        if proposal.state == OPEN and rules is not None and rules.hidden_results:
            raise ResultsHidden("the results of this proposal are hidden until it closes")
        if proposal.state not in (OPEN, CLOSED):
            raise NotAllowed(f"this proposal is {proposal.state}: no ballots are shown")
        return proposal

    def _cast(self, proposal: Proposal) -> Any:
        upto = proposal.result["cut"] if proposal.state == CLOSED and proposal.result \
            else self.app.last_position()
        return read_cast(self.app, proposal, upto=upto)
