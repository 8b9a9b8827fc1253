"""Casting a ballot, and answering a consent proposal's objections.

A bad ballot is refused beside its field with a 400 and nothing is written; a member
outside the proposal's frozen electorate gets a 403. Both come back to the proposal
page, so the member sees the ballot as they sent it.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from domain.errors import InvalidChoice, InvalidText
from web.auth import member_id, network, sign_in_required
from web.errors import FORM_ERRORS
from web.forms import Form
from web.proposal_forms import (
    AmendSchema,
    RuleOutSchema,
    ballot_form,
    choice_of,
    submitted_ballot,
)
from web.proposal_page import render_proposal

bp = Blueprint("ballots", __name__, url_prefix="/proposals")


@bp.post("/<uuid:proposal_id>/ballot")
@sign_in_required
def cast(proposal_id: UUID) -> Response | tuple[str, int]:
    """Cast or change the signed-in member's ballot."""
    p = network().proposals.get(proposal_id)
    method, options = p["method"], p["options"]
    form = ballot_form(method, options, submitted_ballot(method, request.form))
    # The service's word on a choice goes beside the method's main field.
    form.fields_for = {InvalidText: "reason",
                       InvalidChoice: "choice" if method in ("yes_no", "consent") else ""}
    if form.validate():
        choice, reason = choice_of(method, form.data)
        try:
            network().ballots.cast(proposal_id, choice, reason=reason, by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash("Your ballot is saved. You can change it until voting closes.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id,
                                    _anchor="your-ballot"))
    return render_proposal(proposal_id, ballot=form, status=form.status)


@bp.post("/<uuid:proposal_id>/objections/<int:number>/amend")
@sign_in_required
def amend(proposal_id: UUID, number: int) -> Response | tuple[str, int]:
    """Resolve an objection by amending the proposal's text (the author or a steward)."""
    form = Form(AmendSchema(), request.form, prefix=f"amend-{number}",
                fields_for={InvalidText: "amended_text"})
    if form.validate():
        try:
            network().proposals.resolve_objection(
                proposal_id, number, how="amended", amended_text=form.data["amended_text"],
                note=form.data["note"], by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash(f"Objection {number} is resolved: the text is amended.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id,
                                    _anchor="objections"))
    return render_proposal(proposal_id, objection=("amend", number, form), status=form.status)


@bp.post("/<uuid:proposal_id>/objections/<int:number>/rule-out")
@sign_in_required
def rule_out(proposal_id: UUID, number: int) -> Response | tuple[str, int]:
    """Rule an objection out, saying why (the author or a steward)."""
    form = Form(RuleOutSchema(), request.form, prefix=f"rule-out-{number}",
                fields_for={InvalidText: "note"})
    if form.validate():
        try:
            network().proposals.resolve_objection(
                proposal_id, number, how="ruled_out", note=form.data["note"], by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash(f"Objection {number} is ruled out.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id,
                                    _anchor="objections"))
    return render_proposal(proposal_id, objection=("rule_out", number, form),
                           status=form.status)
