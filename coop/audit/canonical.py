"""The audit line: its fields, its canonical JSON and its place in the hash chain.

A line is one event of the log::

    {"action":"give.recorded","actor":"<uuid>","circle":null,"details":{...},
     "hash":"<hex>","position":7,"prev_hash":"<hex>","recorded_at":"2025-03-01T09:30:00.000000Z",
     "target":{"id":"<uuid>","type":"give","version":1}}

Canonical JSON: keys sorted at every level, separators ``,`` and ``:`` with no
whitespace, non-ASCII characters written as themselves (not ``\\u`` escapes), UTF-8.
The only numbers are integers (position, target version, and integers the events
carry, such as a referral's warmth): Decimals, dates, times and ids are strings, so
any JSON library reads a line back to the same text.

``hash = sha256(prev_hash + canonical JSON of the line without "hash")`` in lower-case
hex, both parts encoded as UTF-8; the first line's ``prev_hash`` is GENESIS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from hashlib import sha256
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any, NamedTuple
from uuid import UUID

from domain.values import Money

GENESIS = "0" * 64

# The CSV columns, in order; also the order of the audit table's line columns.
COLUMNS = ("position", "recorded_at", "action", "actor", "target_type", "target_id",
           "target_version", "circle", "details", "prev_hash", "hash")


class Line(NamedTuple):
    """One line of the export, as the audit projection stores it."""

    position: int
    recorded_at: str
    action: str
    actor: str | None
    target_type: str
    target_id: str
    target_version: int
    circle: str | None
    details: str  # canonical JSON text of the event's own data
    prev_hash: str
    hash: str


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)


def canonical(value: Any) -> str:
    """Return the canonical JSON text of ``value``."""
    return _CANONICAL.encode(value)


def chain_hash(prev_hash: str, body: str) -> str:
    """Return the hash of a line whose canonical JSON without "hash" is ``body``."""
    return sha256((prev_hash + body).encode("utf-8")).hexdigest()


def time_text(moment: datetime) -> str:
    """Return a time as the export writes it: UTC, microseconds, 'Z'."""
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data: Decimals, ids, dates and times as text,
    Money as {amount, currency}; never a float."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        # A lone surrogate cannot be written as UTF-8: keep the line writable.
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=canonical)
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, (Decimal, UUID, float)):
        return str(value)
    return str(value)


def _s(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _text(line: Line, with_hash: bool) -> str:
    # Written out in sorted key order rather than through json.dumps: the export
    # builds a line per row, and the details are already canonical text.
    hash_part = f'"hash":{_s(line.hash)},' if with_hash else ""
    return (f'{{"action":{_s(line.action)},"actor":{_s(line.actor)},'
            f'"circle":{_s(line.circle)},"details":{line.details},{hash_part}'
            f'"position":{int(line.position)},"prev_hash":{_s(line.prev_hash)},'
            f'"recorded_at":{_s(line.recorded_at)},"target":{{"id":{_s(line.target_id)},'
            f'"type":{_s(line.target_type)},"version":{int(line.target_version)}}}}}')


def body_text(line: Line) -> str:
    """Return the canonical JSON of the line without its hash: what the hash covers."""
    return _text(line, with_hash=False)


def line_text(line: Line) -> str:
    """Return the line as one JSON Lines line (canonical JSON, no newline)."""
    return _text(line, with_hash=True)


def as_dict(line: Line) -> dict[str, Any]:
    """Return the line as a JSON object (details parsed)."""
    return {
        "action": line.action, "actor": line.actor, "circle": line.circle,
        "details": json.loads(line.details), "hash": line.hash, "position": line.position,
        "prev_hash": line.prev_hash, "recorded_at": line.recorded_at,
        "target": {"id": line.target_id, "type": line.target_type,
                   "version": line.target_version},
    }
