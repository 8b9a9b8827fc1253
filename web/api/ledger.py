"""The fair-share ledger: the network's or a circle's, a member's figures and their
statement, each as it stands now or as of a past day.

Every member may read every ledger and statement: the ledger is the network's shared
record of trust.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from flask import Response

from web.api.problem import invalid
from web.api.schemas.ledger import (
    AsOfQuery,
    LedgerQuery,
    LedgerSchema,
    MemberLedgerSchema,
    StatementSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("ledger", __name__, url_prefix="/ledger",
               description="The fair-share ledger: hours given and received, referrals, "
                           "closed business; statements traced to their events.")


def _future(as_of: date | None) -> Response | None:
    if as_of is not None and as_of > datetime.now(timezone.utc).date():
        return invalid({"as_of": ["the ledger cannot be read as of a day still to come"]})
    return None


@bp.route("")
@bp.arguments(LedgerQuery, location="query", as_kwargs=True)
@bp.response(200, LedgerSchema)
@bp.problems(404, 422)
def get_ledger(circle: UUID | None, as_of: date | None) -> Any:
    """Return every member's figures in the network or a circle, with concentration."""
    return _future(as_of) or network().ledger.ledger(circle, as_of)


@bp.route("/members/<uuid:id>")
@bp.arguments(LedgerQuery, location="query", as_kwargs=True)
@bp.response(200, MemberLedgerSchema)
@bp.problems(404, 422)
def get_member_ledger(id: UUID, circle: UUID | None, as_of: date | None) -> Any:
    """Return one member's figures, in total and month by month."""
    return _future(as_of) or network().ledger.member_ledger(id, circle, as_of)


@bp.route("/members/<uuid:id>/statement")
@bp.arguments(AsOfQuery, location="query", as_kwargs=True)
@bp.response(200, StatementSchema)
@bp.problems(404, 422)
def get_statement(id: UUID, as_of: date | None) -> Any:
    """Return every entry behind a member's balance, each with its log position."""
    return _future(as_of) or network().ledger.statement(id, as_of)
