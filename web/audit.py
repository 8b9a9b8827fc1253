"""The audit log: the steward's page with the chain's head, and streamed downloads."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, render_template, request, stream_with_context

from coop.audit.export import Bound, Selection, check_action, parse_bound
from coop.services.audit import Export
from domain.errors import InvalidValue
from web.auth import is_steward, member_id, network, sign_in_required

bp = Blueprint("audit", __name__, url_prefix="/audit")

FORMATS = ("jsonl", "csv")


@bp.get("/")
@sign_in_required
def index() -> str:
    """Show the chain's head and the downloads the signed-in member may take."""
    status = network().audit.status(by=member_id()) if is_steward() else None
    return render_template("audit/index.html", status=status, formats=FORMATS)


@bp.get("/export.<fmt>")
@sign_in_required
def export(fmt: str) -> Response:
    """Stream the audit log, or the slice the query asks for (stewards only)."""
    return _download(network().audit.export(_selection(), _format(fmt), by=member_id()))


@bp.get("/my-events.<fmt>")
@sign_in_required
def my_events(fmt: str) -> Response:
    """Stream the lines of the audit log that concern the signed-in member."""
    return _download(network().audit.my_events(_format(fmt), by=member_id()))


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidValue(f"'{fmt}' is not an export format (jsonl or csv)")
    return fmt


def _selection() -> Selection:
    """Return the lines the query string picks: since, until, action (repeatable),
    circle and member (ids)."""
    args = request.args

    def bound(name: str) -> Bound | None:
        text = args.get(name, "").strip()
        return parse_bound(text) if text else None

    return Selection(
        since=bound("since"),
        until=bound("until"),
        actions=tuple(sorted({check_action(a) for a in args.getlist("action") if a.strip()})),
        circle=_id(args.get("circle"), "circle"),
        member=_id(args.get("member"), "member"),
    )


def _id(text: str | None, what: str) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return str(UUID(text.strip()))
    except ValueError:
        raise InvalidValue(f"'{text}' is not a {what} id") from None


def _download(made: Export) -> Response:
    """Return the export as an attachment, streamed: each page of lines is read from
    the store as the previous one is sent, never the whole export at once."""
    response = Response(stream_with_context(made.chunks), mimetype=made.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response.headers["X-Audit-Head"] = f"{made.head.position} {made.head.hash}"
    response.headers["Cache-Control"] = "no-store"
    return response
