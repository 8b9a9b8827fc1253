"""Decision views: what the network and each circle are deciding, the signed-in
member's pending votes, and what was decided; now, or as of a past day.

Read from the decisions read model, which holds no count of an open proposal: as of
any day, a proposal open then shows its closing time and nothing of its count.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, url_for

from domain import clock
from projections.decisions_queries import DRAFTS, OPEN, OUTCOMES, WITHDRAWN
from projections.listing import Paging
from web import tallies
from web.auth import member_id, network, sign_in_required
from web.ledger import AsOfArgs, today
from web.listing import found, paging, read_args

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
tallies.register(bp)

# The short lists beside the paged list of outcomes.
SHOWN = {OPEN: 100, DRAFTS: 50, WITHDRAWN: 10}


def end_of(day: date) -> datetime:
    """Return the last moment of a UTC day: "as of 31 May" includes all of 31 May."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=timezone.utc) \
        - timedelta(microseconds=1)


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """Show the whole network's decisions and the member's pending votes."""
    return _decisions(None)


@bp.get("/circles/<uuid:circle_id>")
@sign_in_required
def circle(circle_id: UUID) -> tuple[str, int]:
    """Show one circle's decisions, its mandate, and the member's pending votes there."""
    return _decisions(circle_id)


def _decisions(circle_id: UUID | None) -> tuple[str, int]:
    net, me = network(), member_id()
    scope = net.directory.circle(circle_id) if circle_id else None
    args = read_args(AsOfArgs())
    day = args.data.get("as_of")
    if not args.errors and day is not None and day > today():
        args.errors["as_of"] = "decisions cannot be read as of a day still to come"
        args.status = 400
    here = (url_for("decisions.circle", circle_id=circle_id) if circle_id
            else url_for("decisions.index"))
    context: dict[str, Any] = {"scope": scope, "args": args, "as_of": day, "here": here}
    if circle_id is None:
        context["circles"] = net.directory.circle_choices()
    else:
        context["is_member"] = str(circle_id) in net.directory.circle_ids_of(me)
        context["delegate"] = net.delegations.delegate_of(circle_id, me)
    if not args.errors:
        now = clock.now()
        as_of = end_of(day) if day else None
        read = {"now": now, "circle_id": circle_id, "as_of": as_of}
        context["sections"] = {name: net.decisions.section(name, Paging(1, size), **read)
                               for name, size in SHOWN.items()}
        context["outcomes"] = found(net.decisions.section(OUTCOMES, paging(args), **read))
        context["pending"] = None if day else pending_votes(now, circle_id)
    return render_template("proposals/decisions.html", **context), args.status


def pending_votes(now: datetime, circle_id: UUID | None = None) -> list[dict[str, Any]]:
    """Return the open proposals the member may vote on and has not.

    Where results are hidden the read model does not know who voted; the member's own
    ballot tells.
    """
    net, me = network(), member_id()
    return [p for p in net.decisions.pending(me, now=now, circle_id=circle_id)
            if p["ballot_known"] or not net.ballots.mine(p["id"], by=me)["cast"]]
