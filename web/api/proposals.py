"""Proposals: drafting, opening, voting, closing; the caller's ballot; the tally.

Every count comes from the proposals service's read methods, which hide what the
rules hide: nothing while results are hidden, only the number of ballots while a
secret ballot is open. The tally (a recount from the log) is given once a proposal
has closed; before that the answer is 409 (the proposal is not in that state yet).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from flask import url_for

from domain.errors import ProposalStateConflict, ResultsHidden
from domain.proposal import CLOSED
from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import page_of
from web.api.schemas.governance import (
    BallotSchema,
    MyBallotSchema,
    NewProposalSchema,
    OpenSchema,
    ProposalLineSchema,
    ProposalSchema,
    ProposalsQuery,
    TallySchema,
    WithdrawSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("proposals", __name__, url_prefix="/proposals",
               description="Proposals put to a circle, ballots and tallies.")


def proposal(proposal_id: UUID | str) -> dict[str, Any]:
    """Return a proposal with what may be known of its count now."""
    proposals = network().proposals
    found = proposals.get(proposal_id)
    try:
        results = {**proposals.results(proposal_id), "hidden": False}
    except ResultsHidden:
        results = {"hidden": True, "state": found["state"], "final": False, "tally": None,
                   "ballots": None, "outcome": None, "winner": None}
    return {**found, "results": results}


@bp.route("")
@bp.arguments(ProposalsQuery, location="query", as_kwargs=True)
@bp.response(200, page_of(ProposalLineSchema))
@bp.problems(404, 422)
def list_proposals(section: str, circle: UUID | None, **args: Any) -> dict[str, Any]:
    """List the open proposals, drafts, outcomes or withdrawn proposals."""
    return paging.body(network().decisions.section(
        section, paging.paging(args), now=datetime.now(timezone.utc), circle_id=circle))


@bp.route("", methods=["POST"])
@bp.arguments(NewProposalSchema)
@bp.response(201, ProposalSchema)
@bp.problems(400, 403, 404, 409, 422)
def draft_proposal(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Draft a proposal in one of the caller's circles."""
    proposal_id = network().proposals.draft(**new, by=caller_id())
    return proposal(proposal_id), 201, {
        "Location": url_for("api_proposals.get_proposal", id=proposal_id)}


@bp.route("/<uuid:id>")
@bp.response(200, ProposalSchema)
@bp.problems(404)
def get_proposal(id: UUID) -> dict[str, Any]:
    """Return a proposal, its rules and electorate, and what may be known of the count."""
    return proposal(id)


@bp.route("/<uuid:id>/open", methods=["POST"])
@bp.arguments(OpenSchema)
@bp.response(200, ProposalSchema)
@bp.problems(400, 403, 404, 409, 422)
def open_proposal(rules: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Open voting under these rules, freezing the electorate (the author or a steward)."""
    network().proposals.open(id, **rules, by=caller_id())
    return proposal(id)


@bp.route("/<uuid:id>/close", methods=["POST"])
@bp.response(200, ProposalSchema)
@bp.problems(403, 404, 409, 422)
def close_proposal(id: UUID) -> dict[str, Any]:
    """Close voting before its closing time (stewards, when the rules allow it)."""
    network().proposals.close_early(id, by=caller_id())
    return proposal(id)


@bp.route("/<uuid:id>/withdraw", methods=["POST"])
@bp.arguments(WithdrawSchema)
@bp.response(200, ProposalSchema)
@bp.problems(400, 403, 404, 409, 422)
def withdraw_proposal(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Withdraw a proposal before it closes, saying why (the author or a steward)."""
    network().proposals.withdraw(id, reason=body["reason"], by=caller_id())
    return proposal(id)


@bp.route("/<uuid:id>/ballot")
@bp.response(200, MyBallotSchema)
@bp.problems(404)
def get_ballot(id: UUID) -> dict[str, Any]:
    """Return the caller's own ballot on the proposal (cast: false if none)."""
    return network().ballots.mine(id, by=caller_id())


@bp.route("/<uuid:id>/ballot", methods=["PUT"])
@bp.arguments(BallotSchema)
@bp.response(200, MyBallotSchema)
@bp.problems(400, 403, 404, 409, 422)
def cast_ballot(ballot: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Cast or change the caller's own ballot while voting is open."""
    network().ballots.cast(id, ballot["choice"], reason=ballot["reason"],
                           by=caller_id())
    return network().ballots.mine(id, by=caller_id())


@bp.route("/<uuid:id>/tally")
@bp.response(200, TallySchema)
@bp.problems(404, 409)
def get_tally(id: UUID) -> dict[str, Any]:
    """Recount a closed proposal from the log and say whether it agrees with the
    recorded outcome; 409 before the proposal has closed."""
    proposals = network().proposals
    state = proposals.get(id)["state"]
    if state != CLOSED:
        raise ProposalStateConflict(
            f"this proposal is {state}: its tally is counted when it closes")
    return proposals.recount(id)
