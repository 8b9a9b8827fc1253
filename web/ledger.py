"""The ledger: statements (every line traced to its event), circle and network ledgers.

Every member may read every statement and ledger: the ledger is the network's shared
record of trust, and members see who gives and who receives.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, url_for
from marshmallow import fields

from domain import clock
from projections.listing import page_of
from web.auth import member_id, network, sign_in_required
from web.charts import month_bars
from web.listing import PageArgs, found, paging, read_args

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

KINDS = {
    "given": "Gave",
    "received": "Received",
    "reversal_of_given": "Give reversed",
    "reversal_of_received": "Receipt reversed",
    "disputed_given": "Gave (disputed)",
    "disputed_received": "Received (disputed)",
}


def as_of_field() -> fields.Date:
    return fields.Date(load_default=None, error_messages={
        "invalid": "the date must be a day written like 2026-05-31"})


class AsOfArgs(PageArgs):
    as_of = as_of_field()


def today() -> date:
    """Return today's date in UTC (the day the ledger's "as of" dates are counted in)."""
    return clock.now().date()


def _args() -> Any:
    """Return the as-of and page form, refusing a date after today."""
    args = read_args(AsOfArgs())
    as_of = args.data.get("as_of")
    if not args.errors and as_of is not None and as_of > today():
        args.errors["as_of"] = "the ledger cannot be read as of a day still to come"
        args.status = 400
    return args


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """Show the signed-in member's own statement."""
    return _statement(member_id())


@bp.get("/members/<uuid:member_ref>")
@sign_in_required
def statement(member_ref: UUID) -> tuple[str, int]:
    """Show a member's statement: every entry behind their balance, with a chart."""
    return _statement(member_ref)


def _statement(member_ref: UUID) -> tuple[str, int]:
    net = network()
    args = _args()
    as_of = None if args.errors else args.data.get("as_of")
    statement = net.ledger.statement(member_ref, as_of)
    context: dict[str, Any] = {"statement": statement, "args": args, "kinds": KINDS,
                               "mine": statement["member"]["id"] == member_id()}
    if not args.errors:
        lines = list(reversed(statement["lines"]))  # newest first: what a member looks for
        context["page"] = _page(lines, args)
        figures = net.ledger.member_ledger(member_ref, as_of=as_of)
        context["chart"] = month_bars(figures["months"], as_of or today())
        context["figures"] = figures
    return render_template("ledger/statement.html", **context), args.status


@bp.get("/network")
@sign_in_required
def whole() -> tuple[str, int]:
    """Show the network's ledger: every member's figures and how concentrated giving is."""
    return _ledger(None)


@bp.get("/circles/<uuid:circle_id>")
@sign_in_required
def circle(circle_id: UUID) -> tuple[str, int]:
    """Show a circle's ledger (it counts the circles within it too)."""
    return _ledger(circle_id)


def _ledger(circle_id: UUID | None) -> tuple[str, int]:
    net = network()
    args = _args()
    as_of = None if args.errors else args.data.get("as_of")
    ledger = net.ledger.ledger(circle_id, as_of)
    context: dict[str, Any] = {"ledger": ledger, "args": args}
    if not args.errors:
        context["page"] = _page(ledger["members"], args)
        context["chart"] = month_bars(ledger["months"], as_of or today(), ("given",))
    here = (url_for("ledger.circle", circle_id=circle_id) if circle_id
            else url_for("ledger.whole"))
    return render_template("ledger/ledger.html", here=here, **context), args.status


def _page(items: list[Any], args: Any) -> Any:
    return found(page_of(items, paging(args).number))
