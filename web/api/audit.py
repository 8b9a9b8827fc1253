"""The audit log, streamed: the whole hash chain or a slice of it (stewards), or the
lines that concern the caller (any member, with ``member`` set to their own id)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from flask import Response, stream_with_context
from marshmallow import ValidationError, fields, validate

from coop.audit.export import FORMATS, Bound, Selection, check_action, parse_bound
from domain.errors import InvalidValue
from web.api.auth import caller_id
from web.api.schemas.common import Query, identifier
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("audit", __name__, url_prefix="/audit",
               description="The audit log: every event, hash-chained, as JSON Lines or CSV.")

STREAMED = ("The lines, streamed: JSON Lines (format=jsonl) or CSV (format=csv); the "
            "X-Audit-Head header names the chain's head.")
# Positions beyond this are no positions (and would not fit the store's integers).
MAX_POSITION = 2**62


class Boundary(fields.String):
    """A log position (a whole number) or an ISO 8601 time."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Bound:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 40:
            raise ValidationError("a log position or a time is shorter than that")
        try:
            bound = parse_bound(text)
        except InvalidValue as error:
            raise ValidationError(str(error)) from None
        if isinstance(bound, int) and bound > MAX_POSITION:
            raise ValidationError("no log position is that large")
        if isinstance(bound, datetime):
            try:
                bound.astimezone(timezone.utc)
            except OverflowError:
                raise ValidationError("that time is out of range") from None
        return bound


class Action(fields.String):
    """An action, like give.recorded."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 100:
            raise ValidationError("no action is that long")
        try:
            return check_action(text)
        except InvalidValue as error:
            raise ValidationError(str(error)) from None


class ExportQuery(Query):
    format = fields.String(load_default="jsonl", validate=validate.OneOf(tuple(FORMATS)))
    since = Boundary(load_default=None, metadata={
        "description": "From this log position (included) or time."})
    until = Boundary(load_default=None, metadata={
        "description": "Up to this log position (excluded) or time."})
    action = fields.List(Action(), load_default=list,
                         metadata={"description": "Only these actions, e.g. give.recorded "
                                                  "(repeat the parameter for several)."})
    circle = identifier("circle", load_default=None)
    member = identifier("member", load_default=None, metadata={
        "description": "Only the lines that concern this member; members other than "
                       "stewards must give their own id."})


@bp.route("/export")
@bp.arguments(ExportQuery, location="query", as_kwargs=True)
@bp.response(200, {"type": "string"}, content_type="application/x-ndjson",
             description=STREAMED)
@bp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                 description=STREAMED)
@bp.problems(403, 404, 422)
def export(format: str, since: Bound | None, until: Bound | None, action: list[str],
           circle: UUID | None, member: UUID | None) -> Response:
    """Stream the audit log, or the slice the query asks for."""
    selection = Selection(since=since, until=until, actions=tuple(sorted(set(action))),
                          circle=str(circle) if circle else None,
                          member=str(member) if member else None)
    made = network().audit.export(selection, format, by=caller_id())
    response = Response(stream_with_context(made.chunks), mimetype=made.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response.headers["X-Audit-Head"] = f"{made.head.position} {made.head.hash}"
    return response
