"""Circles: forming them, and who belongs to them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from domain.errors import NotFound

from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import PageQuery, page_of
from web.api.schemas.members import (
    AdmissionSchema,
    CircleSchema,
    CircleSummarySchema,
    NewCircleSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("circles", __name__, url_prefix="/circles",
               description="Circles: local chapters and working groups, and their members.")


@bp.route("")
@bp.arguments(PageQuery, location="query")
@bp.response(200, page_of(CircleSummarySchema))
@bp.problems(422)
def list_circles(args: dict[str, Any]) -> dict[str, Any]:
    """List the circles by name, with their parent and how many members each has."""
    return paging.body(network().directory.circles(paging.paging(args)))


@bp.route("", methods=["POST"])
@bp.arguments(NewCircleSchema)
@bp.response(201, CircleSchema)
@bp.problems(400, 403, 404, 409, 422)
def form_circle(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Form a circle, under the network or under a parent circle (stewards only)."""
    circle_id = network().circles.form(**new, by=caller_id())
    return (network().circles.get(circle_id), 201,
            {"Location": url_for("api_circles.get_circle", id=circle_id)})


@bp.route("/<uuid:id>")
@bp.response(200, CircleSchema)
@bp.problems(404)
def get_circle(id: UUID) -> dict[str, Any]:
    """Return a circle with its members and mandates."""
    return network().circles.get(id)


@bp.route("/<uuid:id>/members", methods=["POST"])
@bp.arguments(AdmissionSchema)
@bp.response(200, CircleSchema)
@bp.problems(400, 403, 404, 409, 422)
def admit_member(admission: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Admit a member to a circle (stewards only); a sub-circle's members must belong
    to its parent circle."""
    network().circles.admit(id, admission["member_id"], by=caller_id())
    return network().circles.get(id)


@bp.route("/<uuid:id>/members/<uuid:member_id>", methods=["DELETE"])
@bp.response(204)
@bp.problems(403, 404, 409, 422)
def remove_member(id: UUID, member_id: UUID) -> tuple[str, int]:
    """Leave a circle (the caller's own membership), or remove a member (stewards)."""
    if member_id not in network().circles.get(id)["members"]:
        raise NotFound("that member does not belong to this circle")
    network().circles.depart(id, member_id, by=caller_id())
    return "", 204
