"""Gives: recording help given, and the receiver's and stewards' answers to it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import (
    CoopError,
    InvalidHours,
    InvalidText,
    InvalidValue,
    MemberHasLeft,
    NotACircleMember,
    NotFound,
    SameGiverAndReceiver,
)
from web.auth import member_id, network, sign_in_required
from web.mine import gives_page
from web.errors import FORM_ERRORS
from web.forms import Form
from web.schemas import DisputeSchema, GiveSchema, ReverseSchema

bp = Blueprint("gives", __name__, url_prefix="/gives")

RECORD_FIELDS = {
    InvalidHours: "hours",
    InvalidText: "description",
    SameGiverAndReceiver: "receiver_email",
    MemberHasLeft: "receiver_email",
    NotACircleMember: "circle_id",
}


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """Show the gives the signed-in member gave or received, newest first."""
    return gives_page()


@bp.get("/new")
@sign_in_required
def new() -> str:
    """Show the form to record a give, filled in when it answers an ask or an offer."""
    prefill = {"receiver_email": request.args.get("to", ""),
               "ask_id": request.args.get("ask", ""),
               "offer_id": request.args.get("offer", ""),
               "circle_id": request.args.get("circle", "")}
    return render_template("gives/new.html", form=Form(GiveSchema(), prefill),
                           answering=_answering(prefill))


@bp.post("/new")
@sign_in_required
def record() -> Response | tuple[str, int]:
    """Record help the signed-in member gave another member."""
    form = Form(GiveSchema(), request.form, fields_for=RECORD_FIELDS)
    if form.validate():
        data = dict(form.data)
        try:
            receiver_id = network().members.id_for_email(data.pop("receiver_email"))
        except NotFound as error:
            form.errors["receiver_email"] = str(error)
            form.status = 404
        else:
            try:
                give_id = network().gives.record(receiver_id=receiver_id, by=member_id(), **data)
            except FORM_ERRORS as error:
                form.fail(error)
            else:
                flash("Your give is recorded. It counts once the receiver confirms it.")
                return redirect(url_for("gives.show", give_id=give_id))
    return render_template("gives/new.html", form=form,
                           answering=_answering(form.raw)), form.status


@bp.get("/<uuid:give_id>")
@sign_in_required
def show(give_id: UUID) -> str:
    """Show a give: who gave what, its status and its history."""
    return _page(give_id)[0]


@bp.post("/<uuid:give_id>/confirm")
@sign_in_required
def confirm(give_id: UUID) -> Response:
    """Confirm, as its receiver, that the give happened."""
    network().gives.confirm(give_id, by=member_id())
    flash("Thank you: the give is confirmed.")
    return redirect(url_for("gives.show", give_id=give_id))


@bp.post("/<uuid:give_id>/dispute")
@sign_in_required
def dispute(give_id: UUID) -> Response | tuple[str, int]:
    """Dispute the give, as its receiver, saying why."""
    form = Form(DisputeSchema(), request.form, prefix="dispute", fields_for={InvalidValue: "reason"})
    if form.validate():
        try:
            network().gives.dispute(give_id, reason=form.data["reason"], by=member_id())
        except InvalidValue as error:
            form.fail(error)
        else:
            flash("The give is marked as disputed; the giver can see your reason.")
            return redirect(url_for("gives.show", give_id=give_id))
    return _page(give_id, dispute=form)


@bp.post("/<uuid:give_id>/reverse")
@sign_in_required
def reverse(give_id: UUID) -> Response | tuple[str, int]:
    """Reverse the give with a correcting entry (stewards only)."""
    form = Form(ReverseSchema(), request.form, prefix="reverse", fields_for={InvalidValue: "reason"})
    if form.validate():
        try:
            network().gives.reverse(give_id, reason=form.data["reason"], by=member_id())
        except InvalidValue as error:
            form.fail(error)
        else:
            flash("The give is reversed. Its history stays visible.")
            return redirect(url_for("gives.show", give_id=give_id))
    return _page(give_id, reverse=form)


def _page(give_id: UUID, *, dispute: Form | None = None,
          reverse: Form | None = None) -> tuple[str, int]:
    give = network().gives.get(give_id)
    history = network().gives.history(give_id)
    failed = dispute or reverse
    return render_template(
        "gives/show.html", give=give, history=history,
        dispute_form=dispute or Form(DisputeSchema(), prefix="dispute"),
        reverse_form=reverse or Form(ReverseSchema(), prefix="reverse"),
    ), failed.status if failed else 200


def _answering(prefill: dict[str, Any]) -> dict[str, Any]:
    """Return the ask or offer the give answers, for the form to name it (if found)."""
    postings = network().postings
    found: dict[str, Any] = {}
    for key, get in (("ask", postings.get_ask), ("offer", postings.get_offer)):
        if prefill.get(f"{key}_id"):
            try:
                found[key] = get(prefill[f"{key}_id"])
            except CoopError:
                pass  # a wrong id is reported when the form is sent
    return found
