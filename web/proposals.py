"""Proposals: drafting, editing, opening under rules, withdrawing, closing early, and
the results page. Ballots and objections are in web/ballots.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.counting.common import CONSENT, YES_NO
from domain.errors import (
    InvalidRules,
    InvalidText,
    NotACircleMember,
    NotTheAuthor,
    ProposalStateConflict,
)
from domain.proposal import CLOSED, DRAFTED, OPEN
from web import tallies
from web.auth import is_steward, member_id, network, sign_in_required
from web.errors import FORM_ERRORS
from web.forms import Form
from web.proposal_forms import (
    METHOD_CHOICES,
    DraftSchema,
    EditSchema,
    ReasonSchema,
    RulesSchema,
    blank_rules,
    options_of,
)
from web.proposal_page import render_proposal

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

DRAFT_FIELDS = {NotACircleMember: "circle_id", InvalidRules: "options", InvalidText: "title"}


@bp.get("/new")
@sign_in_required
def new() -> tuple[str, int]:
    """Show the form to draft a proposal in one of the member's circles."""
    form = Form(DraftSchema(), {"circle_id": request.args.get("circle", ""),
                                "method": YES_NO})
    return _draft_page(form)


@bp.post("/new")
@sign_in_required
def draft() -> Response | tuple[str, int]:
    """Draft a proposal; it can be edited until it is opened for voting."""
    form = Form(DraftSchema(), request.form, fields_for=DRAFT_FIELDS)
    if form.validate():
        data = form.data
        try:
            proposal_id = network().proposals.draft(
                circle_id=data["circle_id"], title=data["title"], text=data["text"],
                method=data["method"], options=options_of(data["options"]), by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash("Your proposal is drafted. Edit it as you like, then open it for voting.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return _draft_page(form)


def _draft_page(form: Form, proposal: dict[str, Any] | None = None) -> tuple[str, int]:
    net = network()
    mine = set(net.directory.circle_ids_of(member_id()))
    circles = [(str(c["id"]), c["name"]) for c in net.directory.circle_choices()
               if str(c["id"]) in mine]
    return render_template("proposals/draft.html", form=form, circles=circles,
                           methods=METHOD_CHOICES, proposal=proposal), form.status


@bp.get("/<uuid:proposal_id>")
@sign_in_required
def show(proposal_id: UUID) -> tuple[str, int]:
    """Show a proposal, its rules, the member's ballot and what may be known of the count."""
    return render_proposal(proposal_id)


def _drafted_by_me(proposal_id: UUID) -> dict[str, Any]:
    p = network().proposals.get(proposal_id)
    if p["author"] != member_id():
        raise NotTheAuthor("only the author edits a draft")
    if p["state"] != DRAFTED:
        raise ProposalStateConflict(f"this proposal is {p['state']}: one cannot edit it")
    return p


@bp.get("/<uuid:proposal_id>/edit")
@sign_in_required
def edit(proposal_id: UUID) -> tuple[str, int]:
    """Show the draft's form, filled in (its author only)."""
    p = _drafted_by_me(proposal_id)
    form = Form(EditSchema(), {"title": p["title"], "text": p["text"], "method": p["method"],
                               "options": "\n".join(p["options"]) if p["method"] not in (
                                   YES_NO, CONSENT) else ""})
    return _draft_page(form, p)


@bp.post("/<uuid:proposal_id>/edit")
@sign_in_required
def save(proposal_id: UUID) -> Response | tuple[str, int]:
    """Change a draft (its author only, before it is opened)."""
    p = _drafted_by_me(proposal_id)
    form = Form(EditSchema(), request.form, fields_for=DRAFT_FIELDS)
    if form.validate():
        data = form.data
        try:
            network().proposals.edit(proposal_id, title=data["title"], text=data["text"],
                                     method=data["method"],
                                     options=options_of(data["options"]), by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash("The draft is saved.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return _draft_page(form, p)


def _may_lead(proposal_id: UUID, doing: str) -> dict[str, Any]:
    p = network().proposals.get(proposal_id)
    if p["author"] != member_id() and not is_steward():
        raise NotTheAuthor(f"only the author of the proposal or a steward may {doing}")
    return p


@bp.get("/<uuid:proposal_id>/open")
@sign_in_required
def rules(proposal_id: UUID) -> tuple[str, int]:
    """Show the form that sets the rules and opens voting (the author or a steward)."""
    p = _may_lead(proposal_id, "open it")
    return _rules_page(p, Form(RulesSchema(), blank_rules()))


@bp.post("/<uuid:proposal_id>/open")
@sign_in_required
def open_voting(proposal_id: UUID) -> Response | tuple[str, int]:
    """Lock the rules and freeze the electorate: voting is open."""
    p = _may_lead(proposal_id, "open it")
    form = Form(RulesSchema(), request.form)
    if form.validate():
        data = dict(form.data)
        if p["method"] == CONSENT and data["secret"]:
            form.errors["secret"] = ("a consent decision cannot be secret: objections are "
                                     "answered in the open")
            form.status = 400
        else:
            try:
                network().proposals.open(proposal_id, by=member_id(), **data)
            except FORM_ERRORS as error:
                form.fail(error)
            else:
                flash("Voting is open. The rules and the electorate are now locked.")
                return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return _rules_page(p, form)


def _rules_page(p: dict[str, Any], form: Form) -> tuple[str, int]:
    return render_template("proposals/open.html", p=p, form=form), form.status


@bp.post("/<uuid:proposal_id>/withdraw")
@sign_in_required
def withdraw(proposal_id: UUID) -> Response | tuple[str, int]:
    """Withdraw the proposal, saying why (the author or a steward, before it closes)."""
    form = Form(ReasonSchema(), request.form, prefix="withdraw",
                fields_for={InvalidText: "reason"})
    if form.validate():
        try:
            network().proposals.withdraw(proposal_id, reason=form.data["reason"],
                                         by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash("The proposal is withdrawn.")
            return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return render_proposal(proposal_id, withdraw=form, status=form.status)


@bp.post("/<uuid:proposal_id>/close")
@sign_in_required
def close(proposal_id: UUID) -> Response:
    """Close voting before its closing time (a steward, when the rules allow it)."""
    network().proposals.close_early(proposal_id, by=member_id())
    flash("Voting is closed and the count is recorded.")
    return redirect(url_for("proposals.results", proposal_id=proposal_id))


@bp.get("/<uuid:proposal_id>/results")
@sign_in_required
def results(proposal_id: UUID) -> str:
    """Show the count: final once closed, provisional while open if the rules allow."""
    net = network()
    p = net.proposals.get(proposal_id)
    found = net.proposals.results(proposal_id)  # ResultsHidden: a 403 page saying why
    tally = found["tally"]
    state = p["state"]
    return render_template(
        "proposals/results.html", p=p, results=found, tally=tally, tallies=tallies,
        recount=net.proposals.recount(proposal_id) if state == CLOSED else None,
        voters=_by_name(net.ballots.voters(proposal_id)) if state in (OPEN, CLOSED) else [])


def _by_name(member_ids: list[UUID]) -> list[dict[str, Any]]:
    names = network().directory.names(member_ids)
    return sorted(({"id": m, "name": names.get(m, "a former member")} for m in member_ids),
                  key=lambda m: (m["name"].casefold(), str(m["id"])))
