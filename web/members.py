"""Member pages: one's own profile, another member's page, and invitations."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from coop.services.leaving import leave as record_leaving
from domain.errors import InvalidValue, NotASteward, NotFound, StateConflict
from web.auth import is_steward, member_id, network, sign_in_required
from web.forms import Form
from web.schemas import InviteSchema, LeaveSchema, ProfileSchema, WelcomeBackSchema

bp = Blueprint("members", __name__)


@bp.get("/profile")
@sign_in_required
def me() -> Response:
    """Go to the signed-in member's own page."""
    return redirect(url_for("members.show", member_ref=member_id()))


@bp.get("/members/<uuid:member_ref>")
@sign_in_required
def show(member_ref: UUID) -> tuple[str, int]:
    """Show one member's profile, with their circles and open offers."""
    return _page(member_ref)


@bp.post("/members/<uuid:member_ref>/rejoin")
@sign_in_required
def rejoin(member_ref: UUID) -> Response | tuple[str, int]:
    """Welcome back a member who left (stewards only)."""
    if not is_steward():  # before reading the form: a member learns nothing from its errors
        raise NotASteward("only a steward may welcome back a member who left")
    form = Form(WelcomeBackSchema(), request.form, prefix="rejoin",
                fields_for={InvalidValue: "note"})
    if form.validate():
        try:
            ended = network().members.rejoin(member_ref, note=form.data["note"],
                                             by=member_id())
        except InvalidValue as error:
            form.fail(error)
        else:
            name = network().members.get(member_ref)["name"]
            flash(f"Welcome back, {name}: a member again, with their history. Roles are not "
                  "restored; they sign in with their old password, or with an invitation if "
                  "they never set one.")
            if ended:
                flash(f"They are no longer listed in {', '.join(c['name'] for c in ended)}: "
                      "admit them again where they should be.")
            return redirect(url_for("members.show", member_ref=member_ref))
    return _page(member_ref, rejoin=form)


@bp.post("/members/<uuid:member_ref>/leave")
@sign_in_required
def leave(member_ref: UUID) -> Response | tuple[str, int]:
    """Leave the network oneself, or record that another member left (stewards)."""
    own = member_ref == member_id()
    if not own and not is_steward():  # before reading the form, as for rejoin
        raise NotASteward("only a steward may record that another member left")
    form = Form(LeaveSchema(), request.form, prefix="leave", fields_for={InvalidValue: "reason"})
    if form.validate():
        try:
            gone = record_leaving(network(), member_ref, reason=form.data["reason"],
                                  by=member_id())
        except InvalidValue as error:
            form.fail(error)
        else:
            if own:
                # Their sessions ended with their departure; drop the cookie too, and
                # show the rest of this page as to anyone signed out.
                session.clear()
                g.member = None
                return render_template("members/left.html", member=gone), 200
            flash(f"Recorded that {gone['name']} left the network. Their roles, sessions "
                  "and API tokens have ended; a steward may welcome them back.")
            return redirect(url_for("members.show", member_ref=member_ref))
    return _page(member_ref, leave=form)


def _page(member_ref: UUID, *, rejoin: Form | None = None,
          leave: Form | None = None) -> tuple[str, int]:
    members = network().members
    member = members.get(member_ref)
    card = network().directory.member(member_ref, viewer=str(member_id()))
    failed = rejoin or leave
    return render_template(
        "members/show.html", member=member, card=card, absences=members.absences(member_ref),
        rejoin_form=rejoin or Form(WelcomeBackSchema(), prefix="rejoin"),
        leave_form=leave or Form(LeaveSchema(), prefix="leave"),
    ), failed.status if failed else 200


@bp.get("/profile/edit")
@sign_in_required
def edit() -> str:
    """Show the form to edit one's own profile."""
    member = network().members.get(member_id())
    return render_template("members/edit.html", form=Form(ProfileSchema(), member))


@bp.post("/profile/edit")
@sign_in_required
def update() -> Response | tuple[str, int]:
    """Save one's own profile."""
    form = Form(ProfileSchema(), request.form)
    if form.validate():
        try:
            network().members.update_profile(member_id(), by=member_id(), **form.data)
        except InvalidValue as error:
            form.fail(error)
        else:
            flash("Your profile is saved.")
            return redirect(url_for("members.me"))
    return render_template("members/edit.html", form=form), form.status


@bp.get("/members/invite")
@sign_in_required
def invite() -> str:
    """Show the form a steward uses to invite a member."""
    if not is_steward():
        abort(403)
    return render_template("members/invite.html", form=Form(InviteSchema()))


@bp.post("/members/invite")
@sign_in_required
def send_invitation() -> tuple[str, int] | str:
    """Make a one-time invitation link for a member (stewards only)."""
    form = Form(InviteSchema(), request.form)
    if form.validate():
        try:
            token = network().accounts.invite(form.data["email"], by=member_id())
        except (InvalidValue, NotFound, StateConflict) as error:
            form.fail(error)  # a refusal of a non-steward gets the 403 page instead
        else:
            link = url_for("accounts.invitation", token=token, _external=True)
            return render_template("members/invited.html", email=form.data["email"], link=link)
    return render_template("members/invite.html", form=form), form.status
