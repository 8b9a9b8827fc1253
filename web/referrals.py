"""Referrals: passing business to a member, and what the receiver made of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import Schema
from werkzeug.wrappers import Response

from domain.errors import (
    InvalidMoney,
    InvalidValue,
    InvalidWarmth,
    MemberHasLeft,
    NotACircleMember,
    NotFound,
    SameReferrerAndReceiver,
)
from domain.values import CURRENCY_MINOR_UNITS
from web.auth import member_id, network, sign_in_required
from web.mine import referrals_page
from web.errors import FORM_ERRORS
from web.forms import Form
from web.schemas import CloseBusinessSchema, ReasonSchema, ReferralSchema, ThankSchema

bp = Blueprint("referrals", __name__, url_prefix="/referrals")

MAKE_FIELDS = {
    SameReferrerAndReceiver: "receiver_email",
    MemberHasLeft: "receiver_email",
    InvalidWarmth: "warmth",
    NotACircleMember: "circle_id",
}

# The receiver's answers: the form each takes (if any) and what to say afterwards.
ANSWERS: dict[str, tuple[type[Schema] | None, str]] = {
    "accept": (None, "You accepted the referral. Good luck with the business."),
    "decline": (ReasonSchema, "You declined the referral; the referrer will see it."),
    "close": (CloseBusinessSchema, "Closed business recorded. Remember to thank the referrer."),
    "lost": (ReasonSchema, "The referral is marked as lost."),
    "thank": (ThankSchema, "Your thanks are recorded; the referrer will see them."),
}

CURRENCIES = [(code, code) for code in sorted(CURRENCY_MINOR_UNITS)]


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """Show the referrals the signed-in member made or received, newest first."""
    return referrals_page()


@bp.get("/new")
@sign_in_required
def new() -> str:
    """Show the form to refer a prospect to another member."""
    prefill = {"receiver_email": request.args.get("to", ""),
               "circle_id": request.args.get("circle", ""), "warmth": "3"}
    return render_template("referrals/new.html", form=Form(ReferralSchema(), prefill))


@bp.post("/new")
@sign_in_required
def make() -> Response | tuple[str, int]:
    """Refer a prospect to another member."""
    form = Form(ReferralSchema(), request.form, fields_for=MAKE_FIELDS)
    if form.validate():
        data = dict(form.data)
        try:
            receiver_id = network().members.id_for_email(data.pop("receiver_email"))
        except NotFound as error:
            form.errors["receiver_email"] = str(error)
            form.status = 404
        else:
            try:
                referral_id = network().referrals.make(receiver_id=receiver_id, by=member_id(),
                                                       **data)
            except FORM_ERRORS as error:
                form.fail(error)
            else:
                flash("Your referral is made. The receiver will see it on their dashboard.")
                return redirect(url_for("referrals.show", referral_id=referral_id))
    return render_template("referrals/new.html", form=form), form.status


@bp.get("/<uuid:referral_id>")
@sign_in_required
def show(referral_id: UUID) -> str:
    """Show a referral, its status and (to its receiver) the answers open to them."""
    return _page(referral_id)[0]


@bp.post("/<uuid:referral_id>/<any(accept, decline, close, lost, thank):answer>")
@sign_in_required
def respond(referral_id: UUID, answer: str) -> Response | tuple[str, int]:
    """Accept, decline, close business on, mark lost or thank for a referral (receiver only)."""
    schema, done = ANSWERS[answer]
    form = None
    data: dict[str, Any] = {}
    if schema is not None:
        form = Form(schema(), request.form, prefix=answer,
                    fields_for={InvalidMoney: "value", InvalidValue: _first_field(schema)})
        if not form.validate():
            return _page(referral_id, failed=(answer, form))
        data = form.data
    try:
        _command(answer)(referral_id, by=member_id(), **data)
    except InvalidValue as error:
        if form is None:
            raise
        form.fail(error)
        return _page(referral_id, failed=(answer, form))
    flash(done)
    return redirect(url_for("referrals.show", referral_id=referral_id))


def _command(answer: str) -> Callable[..., None]:
    referrals = network().referrals
    return {"accept": referrals.accept, "decline": referrals.decline,
            "close": referrals.close_business, "lost": referrals.mark_lost,
            "thank": referrals.thank}[answer]


def _first_field(schema: type[Schema]) -> str:
    return next(iter(schema().fields))


def _page(referral_id: UUID, *, failed: tuple[str, Form] | None = None) -> tuple[str, int]:
    referral = network().referrals.view(referral_id, by=member_id())
    forms = {answer: Form(schema(), {"currency": "EUR"} if answer == "close" else {},
                          prefix=answer)
             for answer, (schema, _) in ANSWERS.items() if schema is not None}
    if failed:
        forms[failed[0]] = failed[1]
    return render_template("referrals/show.html", referral=referral, forms=forms,
                           currencies=CURRENCIES), failed[1].status if failed else 200
