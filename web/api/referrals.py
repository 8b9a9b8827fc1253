"""Referrals: passing business to another member, and what came of it.

A referral names a prospect and their need, so only its two members (and stewards)
may read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import url_for

from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import Body, page_of
from web.api.schemas.exchange import (
    CloseBusinessSchema,
    NewReferralSchema,
    OptionalReasonSchema,
    ReferralLineSchema,
    ReferralSchema,
    ReferralsQuery,
    ThankSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("referrals", __name__, url_prefix="/referrals",
               description="Referrals: business passed to a member, and its outcome.")


def referral(referral_id: UUID | str) -> dict[str, Any]:
    """Return a referral, if the caller is one of its members or a steward."""
    return network().referrals.view(referral_id, by=caller_id())


@bp.route("")
@bp.arguments(ReferralsQuery, location="query", as_kwargs=True)
@bp.response(200, page_of(ReferralLineSchema))
@bp.problems(422)
def list_referrals(role: str | None, status: str | None, waiting: bool,
                   **args: Any) -> dict[str, Any]:
    """List the referrals the caller made or received, newest first."""
    return paging.body(network().activity.referrals(
        caller_id(), paging.paging(args), role=role, status=status, waiting=waiting))


@bp.route("", methods=["POST"])
@bp.arguments(NewReferralSchema)
@bp.response(201, ReferralSchema)
@bp.problems(400, 403, 404, 409, 422)
def make_referral(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Refer a prospect to another member."""
    referral_id = network().referrals.make(**new, by=caller_id())
    return referral(referral_id), 201, {
        "Location": url_for("api_referrals.get_referral", id=referral_id)}


@bp.route("/<uuid:id>")
@bp.response(200, ReferralSchema)
@bp.problems(403, 404)
def get_referral(id: UUID) -> dict[str, Any]:
    """Return a referral (to its two members and stewards)."""
    return referral(id)


def _answer(action: str, schema: type[Body] | None, doc: str,
            command: Callable[..., None]) -> None:
    """Add ``POST /referrals/{id}/<action>``, whose body (if any) goes to ``command``."""

    def respond(referral_id: UUID, body: dict[str, Any] | None = None) -> dict[str, Any]:
        command(network().referrals)(referral_id, by=caller_id(), **(body or {}))
        return referral(referral_id)

    if schema is None:
        def view(id: UUID) -> dict[str, Any]:
            return respond(id)
    else:
        def view(body: dict[str, Any], id: UUID) -> dict[str, Any]:  # type: ignore[misc]
            return respond(id, body)

    view.__doc__ = doc
    view = bp.problems(*((400, 403, 404, 409, 422)))(view)
    view = bp.response(200, ReferralSchema)(view)
    if schema is not None:
        # Only closing business needs a body; the others' fields are optional.
        view = bp.arguments(schema, required=schema is CloseBusinessSchema)(view)
    bp.route(f"/<uuid:id>/{action}", methods=["POST"],
             endpoint=f"{action}_referral")(view)


_answer("accept", None, "Accept the referral (its receiver).", lambda r: r.accept)
_answer("decline", OptionalReasonSchema, "Decline the referral, saying why if you like.",
        lambda r: r.decline)
_answer("close", CloseBusinessSchema,
        "Record the business closed thanks to the referral, and its value (its receiver).",
        lambda r: r.close_business)
_answer("lost", OptionalReasonSchema, "Record that the business was lost (its receiver).",
        lambda r: r.mark_lost)
_answer("thank", ThankSchema, "Thank the referrer (its receiver, once it is settled).",
        lambda r: r.thank)
