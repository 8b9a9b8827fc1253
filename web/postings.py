"""Offers and asks: two areas with the same shape, so one module builds both blueprints."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import InvalidValue, NotACircleMember
from web.auth import member_id, network, sign_in_required
from web.browse import browse_page
from web.errors import FORM_ERRORS
from web.forms import Form
from web.listing import PageArgs, found, paging, read_args
from web.schemas import PostingSchema

FIELDS = {NotACircleMember: "circle_id"}

WORDS = {
    "offer": {"kind": "offer", "heading": "Offer help",
              "lead": "Say what you can help other members with.",
              "posted": "Your offer is posted.", "withdrawn": "Your offer is withdrawn."},
    "ask": {"kind": "ask", "heading": "Ask for help",
            "lead": "Say what you need; members who can help will see it.",
            "posted": "Your ask is posted.", "withdrawn": "Your ask is withdrawn."},
}


def make_blueprint(kind: str) -> Blueprint:
    """Return the blueprint of offers (kind "offer") or of asks (kind "ask")."""
    bp = Blueprint(f"{kind}s", __name__, url_prefix=f"/{kind}s")
    words = WORDS[kind]

    def service(action: str) -> Any:
        return getattr(network().postings, f"{action}_{kind}")

    def shown(posting_id: UUID) -> dict[str, Any]:
        return service("view")(posting_id, by=member_id())

    def render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
        return render_template(f"postings/{template}", words=words, **context), status

    @bp.get("/")
    @sign_in_required
    def index() -> tuple[str, int]:
        """Browse offers or asks, filtered by circle, tag and status."""
        return browse_page(kind, words)

    @bp.get("/new")
    @sign_in_required
    def new() -> tuple[str, int]:
        """Show the form to post an offer or an ask."""
        form = Form(PostingSchema(), {"circle_id": request.args.get("circle", "")})
        return render("new.html", form=form)

    @bp.post("/new")
    @sign_in_required
    def post() -> Response | tuple[str, int]:
        """Post an offer or an ask."""
        form = Form(PostingSchema(), request.form, fields_for=FIELDS)
        if form.validate():
            try:
                posting_id = service("post")(by=member_id(), **form.data)
            except FORM_ERRORS as error:
                form.fail(error)
            else:
                flash(words["posted"])
                return redirect(url_for(".show", posting_id=posting_id))
        return render("new.html", form.status, form=form)

    @bp.get("/<uuid:posting_id>")
    @sign_in_required
    def show(posting_id: UUID) -> tuple[str, int]:
        """Show an offer or an ask, and the gives recorded answering it."""
        posting = shown(posting_id)
        args = read_args(PageArgs())
        if args.errors:
            return render("show.html", 400, posting=posting, answers=None, args=args)
        answers = found(network().board.answers(posting_id, paging(args)))
        return render("show.html", posting=posting, answers=answers, args=args)

    @bp.get("/<uuid:posting_id>/edit")
    @sign_in_required
    def edit(posting_id: UUID) -> tuple[str, int]:
        """Show the author the form to change their offer or ask."""
        posting = shown(posting_id)
        if posting["author"] != member_id():
            abort(403)
        form = Form(PostingSchema(), {**posting, "tags": ", ".join(posting["tags"])})
        return render("edit.html", form=form, posting=posting)

    @bp.post("/<uuid:posting_id>/edit")
    @sign_in_required
    def update(posting_id: UUID) -> Response | tuple[str, int]:
        """Save the author's changes to an offer or an ask."""
        posting = shown(posting_id)
        form = Form(PostingSchema(), request.form, fields_for=FIELDS)
        if form.validate():
            data = {k: form.data[k] for k in ("title", "description", "tags")}
            try:
                service("update")(posting_id, by=member_id(), **data)
            except InvalidValue as error:
                form.fail(error)
            else:
                flash("Your changes are saved.")
                return redirect(url_for(".show", posting_id=posting_id))
        return render("edit.html", form.status, form=form, posting=posting)

    @bp.post("/<uuid:posting_id>/withdraw")
    @sign_in_required
    def withdraw(posting_id: UUID) -> Response:
        """Withdraw an offer or an ask (its author only)."""
        service("withdraw")(posting_id, by=member_id())
        flash(words["withdrawn"])
        return redirect(url_for(".show", posting_id=posting_id))

    return bp


offers = make_blueprint("offer")
asks = make_blueprint("ask")
