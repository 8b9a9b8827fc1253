"""The caller's delegation of their vote in a circle: see it, grant it, revoke it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from web.api.auth import caller_id
from web.api.schemas.governance import DelegationSchema, NewDelegationSchema
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("delegations", __name__, url_prefix="/circles/<uuid:id>/delegation",
               description="The caller's delegation of their vote within a circle.")


def delegation(circle_id: UUID) -> dict[str, Any]:
    return {"circle_id": circle_id,
            "delegate_id": network().delegations.delegate_of(circle_id, caller_id())}


@bp.route("")
@bp.response(200, DelegationSchema)
@bp.problems(404)
def get_delegation(id: UUID) -> dict[str, Any]:
    """Return to whom the caller's vote in the circle is delegated (null: to no one)."""
    return delegation(id)


@bp.route("", methods=["PUT"])
@bp.arguments(NewDelegationSchema)
@bp.response(200, DelegationSchema)
@bp.problems(400, 403, 404, 409, 422)
def delegate(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Delegate the caller's vote in the circle to another member of it; it counts on
    proposals whose rules allow delegation, and voting directly overrides it."""
    network().delegations.grant(id, body["delegate_id"], by=caller_id())
    return delegation(id)


@bp.route("", methods=["DELETE"])
@bp.response(204)
@bp.problems(404, 409, 422)
def revoke_delegation(id: UUID) -> tuple[str, int]:
    """Revoke the caller's delegation in the circle."""
    network().delegations.revoke(id, by=caller_id())
    return "", 204
