"""Signing in and out, accepting an invitation, changing a password."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from coop.accounts import SignInRefused, WeakPassword, WrongPassword
from domain.errors import InvalidValue
from web.auth import current_token, end_session, network, sign_in_required, start_session
from web.errors import FORM_ERRORS
from web.forms import Form
from web.schemas import ChangePasswordSchema, SetPasswordSchema, SignInSchema
from web.security import safe_next

bp = Blueprint("accounts", __name__)


@bp.get("/sign-in")
def sign_in() -> Response | str:
    """Show the sign-in form (or go on, if already signed in)."""
    if g.member is not None:
        return redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
    form = Form(SignInSchema(), {"email": request.args.get("email", ""),
                                 "next": safe_next(request.args.get("next")) or ""})
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-in")
def sign_in_post() -> Response | tuple[str, int]:
    """Sign in with email and password, then go where the member was heading."""
    form = Form(SignInSchema(), request.form, fields_for={SignInRefused: "password"})
    if form.validate():
        try:
            token = network().accounts.sign_in(form.data["email"], form.data["password"],
                                               address=request.remote_addr)
        except FORM_ERRORS as error:
            form.fail(error)
        else:
            start_session(token)
            return redirect(safe_next(form.data["next"]) or url_for("dashboard.index"))
    return render_template("accounts/sign_in.html", form=form), form.status


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign out here and on every other device."""
    end_session()
    flash("You are signed out, here and on every other device.")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/invitations/<token>")
def invitation(token: str) -> str:
    """Show the form that sets a password for an invited member."""
    invited = network().accounts.invitation(token)
    return render_template("accounts/invitation.html", invited=invited, token=token,
                           form=Form(SetPasswordSchema()))


@bp.post("/invitations/<token>")
def accept_invitation(token: str) -> Response | tuple[str, int]:
    """Accept an invitation by choosing a password."""
    invited = network().accounts.invitation(token)
    form = Form(SetPasswordSchema(), request.form,
                fields_for={WeakPassword: "password"})
    if form.validate():
        try:
            email = network().accounts.accept_invitation(token, password=form.data["password"])
        except InvalidValue as error:
            form.fail(error)
        else:
            flash("Your password is set. Sign in with it now.")
            return redirect(url_for("accounts.sign_in", email=email))
    return render_template("accounts/invitation.html", invited=invited, token=token,
                           form=form), form.status


@bp.get("/account/password")
@sign_in_required
def password() -> str:
    """Show the form to change one's password."""
    return render_template("accounts/password.html", form=Form(ChangePasswordSchema()))


@bp.post("/account/password")
@sign_in_required
def change_password() -> Response | tuple[str, int]:
    """Change one's password and sign out every other device."""
    form = Form(ChangePasswordSchema(), request.form,
                fields_for={WrongPassword: "current_password", WeakPassword: "new_password"})
    if form.validate():
        try:
            token = network().accounts.change_password(
                current_token() or "", current=form.data["current_password"],
                new=form.data["new_password"], address=request.remote_addr)
        except InvalidValue as error:
            form.fail(error)
        else:
            start_session(token)
            flash("Your password is changed. Every other device has been signed out.")
            return redirect(url_for("members.me"))
    return render_template("accounts/password.html", form=form), form.status
