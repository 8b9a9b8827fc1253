"""The member's personal API tokens: make one (shown once), see them, revoke one."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import InvalidValue, StateConflict
from web.auth import member_id, network, sign_in_required
from web.forms import Form, FormSchema, text

bp = Blueprint("tokens", __name__, url_prefix="/profile/tokens")


class TokenSchema(FormSchema):
    name = text("the token's name", max_length=80, required=False)


def _index(form: Form) -> tuple[str, int]:
    tokens = network().tokens.list(member_id(), by=member_id())
    return render_template("tokens/index.html", tokens=tokens, form=form), form.status


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """Show the signed-in member's API tokens and the form to make one."""
    return _index(Form(TokenSchema()))


@bp.post("/")
@sign_in_required
def create() -> tuple[str, int]:
    """Make an API token and show it, this once."""
    form = Form(TokenSchema(), request.form)
    if form.validate():
        try:
            made = network().tokens.create(member_id(), name=form.data["name"], by=member_id())
        except (InvalidValue, StateConflict) as error:
            form.fail(error)
        else:
            return render_template("tokens/created.html", made=made), 201
    return _index(form)


@bp.post("/<uuid:token_id>/revoke")
@sign_in_required
def revoke(token_id: UUID) -> Response:
    """Revoke one of the signed-in member's API tokens: it stops working at once."""
    network().tokens.revoke(token_id, by=member_id())
    flash("The token is revoked: it no longer works.")
    return redirect(url_for("tokens.index"))
