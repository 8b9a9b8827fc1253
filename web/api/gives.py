"""Gives: recording help given, and the receiver's (or a steward's) answer to it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import page_of
from web.api.schemas.exchange import (
    GiveLineSchema,
    GiveSchema,
    GivesQuery,
    NewGiveSchema,
    ReasonSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("gives", __name__, url_prefix="/gives",
               description="Gives: help a member gave another, confirmed by the receiver.")


def give(give_id: UUID | str) -> dict[str, Any]:
    gives = network().gives
    return {**gives.get(give_id), "history": gives.history(give_id)}


@bp.route("")
@bp.arguments(GivesQuery, location="query", as_kwargs=True)
@bp.response(200, page_of(GiveLineSchema))
@bp.problems(422)
def list_gives(role: str | None, status: str | None, waiting: bool,
               **args: Any) -> dict[str, Any]:
    """List the gives the caller gave or received, newest first."""
    return paging.body(network().activity.gives(
        caller_id(), paging.paging(args), role=role, status=status, waiting=waiting))


@bp.route("", methods=["POST"])
@bp.arguments(NewGiveSchema)
@bp.response(201, GiveSchema)
@bp.problems(400, 403, 404, 409, 422)
def record_give(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Record help the caller gave another member; it counts once they confirm it."""
    give_id = network().gives.record(**new, by=caller_id())
    return give(give_id), 201, {"Location": url_for("api_gives.get_give", id=give_id)}


@bp.route("/<uuid:id>")
@bp.response(200, GiveSchema)
@bp.problems(404)
def get_give(id: UUID) -> dict[str, Any]:
    """Return a give with its history."""
    return give(id)


@bp.route("/<uuid:id>/confirm", methods=["POST"])
@bp.response(200, GiveSchema)
@bp.problems(403, 404, 409, 422)
def confirm_give(id: UUID) -> dict[str, Any]:
    """Confirm, as its receiver, that the give happened (it fulfils the ask it answers)."""
    network().gives.confirm(id, by=caller_id())
    return give(id)


@bp.route("/<uuid:id>/dispute", methods=["POST"])
@bp.arguments(ReasonSchema)
@bp.response(200, GiveSchema)
@bp.problems(400, 403, 404, 409, 422)
def dispute_give(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Dispute the give, as its receiver, saying why."""
    network().gives.dispute(id, reason=body["reason"], by=caller_id())
    return give(id)


@bp.route("/<uuid:id>/reverse", methods=["POST"])
@bp.arguments(ReasonSchema)
@bp.response(200, GiveSchema)
@bp.problems(400, 403, 404, 409, 422)
def reverse_give(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Reverse the give with a correcting entry (stewards only)."""
    network().gives.reverse(id, reason=body["reason"], by=caller_id())
    return give(id)
