"""The directory: members (their circles, what they offer) and circles (members, mandates)."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template

from web.auth import member_id, network, sign_in_required
from web.forms import text
from web.listing import CircleArgs, PageArgs, found, paging, read_args

bp = Blueprint("directory", __name__)


class MembersArgs(CircleArgs):
    q = text("the search", max_length=100, required=False)


@bp.get("/members/")
@sign_in_required
def members() -> tuple[str, int]:
    """List the members by name, found by name or business, or by circle."""
    net = network()
    args = read_args(MembersArgs())
    circles = net.directory.circle_choices()
    circle = args.data.get("circle")
    if not args.errors and circle and all(c["id"] != circle for c in circles):
        args.errors["circle"] = f"there is no circle with id '{circle}'"
        args.status = 400
    page = None
    if not args.errors:
        page = found(net.directory.members(
            paging(args), circle_id=str(circle) if circle else None,
            search=args.data.get("q") or "", viewer=str(member_id())))
    options = [("", "All circles"), *((str(c["id"]), c["name"]) for c in circles)]
    return render_template("directory/members.html", args=args, page=page,
                           circle_options=options), args.status


@bp.get("/circles/")
@sign_in_required
def circles() -> tuple[str, int]:
    """List the circles, each with its parent, purpose and number of members."""
    args = read_args(PageArgs())
    page = None if args.errors else found(network().directory.circles(paging(args)))
    return render_template("directory/circles.html", args=args, page=page), args.status


@bp.get("/circles/<uuid:circle_id>")
@sign_in_required
def circle(circle_id: UUID) -> tuple[str, int]:
    """Show a circle: its purpose, mandates, the circles under it and its members."""
    net = network()
    found_circle = net.directory.circle(circle_id)
    args = read_args(PageArgs())
    page = None if args.errors else found(net.directory.circle_members(circle_id, paging(args)))
    mine = str(circle_id) in net.directory.circle_ids_of(member_id())
    return render_template("directory/circle.html", circle=found_circle, args=args,
                           page=page, is_member=mine), args.status
