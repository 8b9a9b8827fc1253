"""Offers and asks: one blueprint for each, made by the same factory.

A posting made in a circle is for that circle's members: others do not see it in
the lists, and are refused it by id (403).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import page_of
from web.api.schemas.exchange import (
    NewPostingSchema,
    PostingSchema,
    PostingsQuery,
    PostingSummarySchema,
)
from web.api.spec import Blueprint
from web.auth import network


def posting(kind: str, posting_id: UUID | str) -> dict[str, Any]:
    """Return an offer or an ask as the API shows it, if the caller may see it."""
    postings = network().postings
    view = postings.view_offer if kind == "offer" else postings.view_ask
    found = view(posting_id, by=caller_id())
    fulfilled = found.get("fulfilled_by")
    status = "withdrawn" if found["withdrawn"] else "fulfilled" if fulfilled else "open"
    return {**found, "kind": kind, "status": status}


def make_blueprint(kind: str) -> Blueprint:
    plural = f"{kind}s"
    bp = Blueprint(plural, __name__, url_prefix=f"/{plural}", description={
        "offer": "Offers: standing \"I can help with...\" postings.",
        "ask": "Asks: what members need help with.",
    }[kind])
    endpoint = f"api_{plural}.get_{kind}"

    @bp.route("", endpoint=f"list_{plural}")
    @bp.arguments(PostingsQuery, location="query", as_kwargs=True)
    @bp.response(200, page_of(PostingSummarySchema))
    @bp.problems(404, 422)
    def browse(circle: UUID | None, status: str, tag: str | None, author: UUID | None,
               **args: Any) -> dict[str, Any]:
        """List offers or asks that the caller may see, newest first."""
        return paging.body(network().board.browse(
            kind, paging.paging(args), viewer=str(caller_id()),
            circle_id=str(circle) if circle else None, tag=tag, status=status,
            author_id=str(author) if author else None))

    @bp.route("", methods=["POST"], endpoint=f"post_{kind}")
    @bp.arguments(NewPostingSchema)
    @bp.response(201, PostingSchema)
    @bp.problems(400, 403, 404, 409, 422)
    def post(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Post an offer or an ask, for everyone or for one of the caller's circles."""
        postings = network().postings
        command = postings.post_offer if kind == "offer" else postings.post_ask
        posting_id = command(**new, by=caller_id())
        return posting(kind, posting_id), 201, {"Location": url_for(endpoint,
                                                                    id=posting_id)}

    @bp.route("/<uuid:id>", endpoint=f"get_{kind}")
    @bp.response(200, PostingSchema)
    @bp.problems(403, 404)
    def show(id: UUID) -> dict[str, Any]:
        """Return one offer or ask."""
        return posting(kind, id)

    @bp.route("/<uuid:id>/withdraw", methods=["POST"], endpoint=f"withdraw_{kind}")
    @bp.response(200, PostingSchema)
    @bp.problems(403, 404, 409, 422)
    def withdraw(id: UUID) -> dict[str, Any]:
        """Withdraw an offer or an ask (its author only)."""
        postings = network().postings
        command = postings.withdraw_offer if kind == "offer" else postings.withdraw_ask
        command(id, by=caller_id())
        return posting(kind, id)

    return bp


offers = make_blueprint("offer")
asks = make_blueprint("ask")
