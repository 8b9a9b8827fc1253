"""Members: the caller, the directory, and adding (and inviting) members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from coop.services.leaving import leave as record_leaving
from web.api import idempotency, paging
from web.api.auth import caller_id
from web.api.schemas.common import page_of
from web.api.schemas.members import (
    InvitationSchema,
    InvitedMemberSchema,
    LeaveSchema,
    MemberCardSchema,
    MemberSchema,
    MembersQuery,
    NewMemberSchema,
    RejoinedMemberSchema,
    RejoinSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("members", __name__, description="The calling member and the directory.")


@bp.route("/me")
@bp.response(200, MemberSchema)
@bp.problems()
def get_me() -> dict[str, Any]:
    """Return the calling member."""
    return network().members.get(caller_id())


@bp.route("/members")
@bp.arguments(MembersQuery, location="query", as_kwargs=True)
@bp.response(200, page_of(MemberCardSchema))
@bp.problems(404, 422)
def list_members(circle: UUID | None, search: str, **args: Any) -> dict[str, Any]:
    """List the current members by name, with their circles and open offers."""
    return paging.body(network().directory.members(
        paging.paging(args), circle_id=str(circle) if circle else None, search=search,
        viewer=str(caller_id())))


@bp.route("/members", methods=["POST"])
@bp.arguments(NewMemberSchema)
@bp.response(201, InvitedMemberSchema)
@bp.problems(400, 403, 409, 422)
def add_member(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Add a member and make their invitation link (stewards only)."""
    net = network()
    member_id = net.members.add(**new, by=caller_id())
    link = _invitation(new["email"])
    idempotency.conceal(["invitation_url"])
    return ({**net.members.get(member_id), "invitation_url": link}, 201,
            {"Location": url_for("api_members.get_member", id=member_id)})


@bp.route("/members/<uuid:id>")
@bp.response(200, MemberSchema)
@bp.problems(404)
def get_member(id: UUID) -> dict[str, Any]:
    """Return one member."""
    return network().members.get(id)


@bp.route("/members/<uuid:id>/leave", methods=["POST"])
@bp.arguments(LeaveSchema)
@bp.response(200, MemberSchema)
@bp.problems(400, 403, 404, 409, 422)
def leave_member(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Leave the network (one's own choice), or record that another member left
    (stewards only).

    Their roles end, and so do their sessions and API tokens (a caller who leaves
    ends the very token of this request). Their history stays; a steward may
    welcome them back, and their password works again then.
    """
    return record_leaving(network(), id, reason=body["reason"], by=caller_id())


@bp.route("/members/<uuid:id>/rejoin", methods=["POST"])
@bp.arguments(RejoinSchema)
@bp.response(200, RejoinedMemberSchema)
@bp.problems(400, 403, 404, 409, 422)
def rejoin_member(body: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Welcome back a member who left (stewards only).

    The same member, history intact; roles are not restored, and the circles that
    still listed them end their membership (a circle admits them again). Their old
    password works again; one who never set one needs an invitation.
    """
    net = network()
    ended = net.members.rejoin(id, note=body["note"], by=caller_id())
    return {**net.members.get(id), "circles_ended": ended}


@bp.route("/members/<uuid:id>/invitation", methods=["POST"])
@bp.response(201, InvitationSchema)
@bp.problems(403, 404, 409, 422)
def invite_member(id: UUID) -> dict[str, Any]:
    """Make a new invitation link for a member, replacing unused ones (stewards only)."""
    member = network().members.get(id)
    link = _invitation(member["email"])
    idempotency.conceal(["invitation_url"])
    return {"member_id": member["id"], "invitation_url": link}


def _invitation(email: str) -> str:
    token = network().accounts.invite(email, by=caller_id())
    return url_for("accounts.invitation", token=token, _external=True)
