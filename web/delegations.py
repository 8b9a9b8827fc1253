"""Delegating one's vote in a circle to another member of it, and revoking it.

A delegation counts only on proposals whose rules allow it, as it stands when each
closes; voting directly on a proposal overrides it there (docs/governance.md).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import fields
from werkzeug.wrappers import Response

from domain.errors import InvalidValue, NotACircleMember, NotFound, StateConflict
from web.auth import member_id, network, sign_in_required
from web.errors import FORM_ERRORS
from web.forms import Form, FormSchema

bp = Blueprint("delegations", __name__, url_prefix="/decisions/circles")


class DelegateSchema(FormSchema):
    delegate_id = fields.UUID(required=True, error_messages={
        "required": "choose the member who will vote for you",
        "invalid_uuid": "choose a member of the circle"})


FIELDS = {InvalidValue: "delegate_id", NotFound: "delegate_id", NotACircleMember: "",
          StateConflict: "delegate_id"}


@bp.get("/<uuid:circle_id>/delegation")
@sign_in_required
def show(circle_id: UUID) -> tuple[str, int]:
    """Show whom the member's vote in the circle is delegated to, and the forms."""
    return _page(circle_id, Form(DelegateSchema(), prefix="delegate"))


@bp.post("/<uuid:circle_id>/delegation")
@sign_in_required
def grant(circle_id: UUID) -> Response | tuple[str, int]:
    """Delegate the member's vote in the circle to another member of it."""
    form = Form(DelegateSchema(), request.form, prefix="delegate", fields_for=FIELDS)
    if form.validate():
        try:
            network().delegations.grant(circle_id, form.data["delegate_id"], by=member_id())
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            flash("Your vote in this circle is delegated. Voting yourself on a proposal "
                  "still overrides it there.")
            return redirect(url_for("delegations.show", circle_id=circle_id))
    return _page(circle_id, form)


@bp.post("/<uuid:circle_id>/delegation/revoke")
@sign_in_required
def revoke(circle_id: UUID) -> Response | tuple[str, int]:
    """End the member's delegation in the circle."""
    form = Form(FormSchema(), prefix="revoke")
    try:
        network().delegations.revoke(circle_id, by=member_id())
    except FORM_ERRORS as error:
        form.fail(error)
        return _page(circle_id, Form(DelegateSchema(), prefix="delegate"), revoke=form)
    flash("Your delegation is revoked: only your own ballots count for you now.")
    return redirect(url_for("delegations.show", circle_id=circle_id))


def _page(circle_id: UUID, form: Form, revoke: Form | None = None) -> tuple[str, int]:
    net, me = network(), member_id()
    circle = net.circles.get(circle_id)
    delegate = net.delegations.delegate_of(circle_id, me)
    names = net.directory.names([*circle["members"], *([delegate] if delegate else [])])
    others: list[tuple[str, str]] = sorted(
        ((str(m), names.get(m, "a former member")) for m in circle["members"] if m != me),
        key=lambda pair: pair[1].casefold())
    context: dict[str, Any] = {
        "circle": circle, "is_member": me in circle["members"], "others": others,
        "delegate": delegate, "delegate_name": names.get(delegate) if delegate else None,
        "form": form, "revoke": revoke or Form(FormSchema(), prefix="revoke"),
    }
    status = revoke.status if revoke is not None else form.status
    return render_template("proposals/delegation.html", **context), status
