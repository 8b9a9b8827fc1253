"""The audit chain: one line per event of the whole log, each hash-linked to the one before.

Every event of every aggregate becomes a row of ``audit_lines``: its position, time,
action (``give.recorded``), actor, target, circle, details (the event's own data) and
its place in the SHA-256 chain. The hash is computed here, once, when the line is
written, so a line's hash never changes and an export only reads rows. How a line is
written and hashed (canonical JSON, the commitments' key) is handed in by coop.audit
as a LineFormat, since projections import nothing of coop.

What the details may not carry is decided here too (see docs/audit.md):

- a secret ballot's choice: a ballot's ``sealed*`` fields are always redacted, and
  its ``choice*`` fields too when its proposal was opened as secret;
- personal free text (emails, names, profiles, what passed privately between two
  members): replaced by a keyed commitment, so the same bytes can go to every
  audience and the chain stays verifiable by all of them.

Besides the lines, the projection remembers per aggregate what later events need:
its circle, the members who are party to it (named in its creation event) and
whether it is secret (``audit_subjects``); and per member the lines that concern
them (``audit_involved``), for "my events" exports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from projections.base import Positioned, Projection, Table, micros
from projections.store import Tx

LINE_COLUMNS = ("position", "recorded_at", "action", "actor", "target_type", "target_id",
                "target_version", "circle", "details", "prev_hash", "hash")

LINES = Table(
    "audit_lines",
    # at: recorded_at in microseconds since 1970 UTC, for time filters.
    "position BIGINT NOT NULL, recorded_at TEXT NOT NULL, at BIGINT NOT NULL, "
    "action TEXT NOT NULL, actor TEXT, target_type TEXT NOT NULL, target_id TEXT NOT NULL, "
    "target_version BIGINT NOT NULL, circle TEXT, details TEXT NOT NULL, "
    "prev_hash TEXT NOT NULL, hash TEXT NOT NULL",
    key=("position",),
    indexes=("circle, position",),
)
INVOLVED = Table(
    "audit_involved",
    "member_id TEXT NOT NULL, position BIGINT NOT NULL",
    key=("member_id", "position"),
    in_key_order=True,
)
SUBJECTS = Table(
    "audit_subjects",
    # parties: member ids, space-separated and sorted; secret: 1 for a secret
    # proposal and its ballots. Only aggregates with something to remember have a row.
    "target_id TEXT NOT NULL, circle TEXT, parties TEXT NOT NULL, secret INTEGER NOT NULL, "
    "position BIGINT NOT NULL",
    key=("target_id",),
    in_key_order=True,
)

HOLDS = Table(
    "audit_holds",
    # An open proposal whose results are hidden. From its opening on, exports end
    # before the Opened line until the proposal closes: later lines would let anyone
    # count ballots before the close, and holding back from the opening (not from the
    # first ballot) does not even tell whether anyone has voted (docs/audit.md).
    "proposal_id TEXT NOT NULL, position BIGINT NOT NULL",
    key=("proposal_id",),
)

# Fields of the event's data that name a member taking part (not merely acting).
PARTY_FIELDS = ("giver", "receiver", "referrer", "author", "member_id", "delegator",
                "delegate")

# Personal free text, per action: written as a keyed commitment, never in clear.
CONCEALED: dict[str, tuple[str, ...]] = {
    "member.joined": ("email", "name", "business"),
    "member.profile_updated": ("name", "business", "about"),
    "member.left": ("reason",),
    "member.rejoined": ("note",),
    "give.recorded": ("description",),
    "give.disputed": ("reason",),
    "give.reversed": ("reason",),
    "referral.made": ("prospect", "need"),
    "referral.declined": ("reason",),
    "referral.lost": ("reason",),
    "referral.thanked": ("message",),
}

REDACTED = "redacted: secret ballot"
_ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic", "by")
_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class LineFormat(Protocol):
    """How a line is written and chained (coop.audit provides it)."""

    genesis: str

    def time(self, moment: datetime) -> str:
        """Return an event's time as the line's ``recorded_at``."""

    def details(self, data: dict[str, Any]) -> str:
        """Return the canonical JSON text of an event's data."""

    def hash(self, fields: Sequence[Any]) -> str:
        """Return the hash of a line given its LINE_COLUMNS but the hash."""

    def conceal(self, text: str) -> str:
        """Return the commitment that stands for a piece of personal text."""


def snake(name: str) -> str:
    """Return ``BusinessClosed`` as ``business_closed``."""
    return _SNAKE.sub("_", name).lower()


@functools.cache
def action_of(cls: type) -> tuple[str, str]:
    """Return (target type, action) of an event class: ("give", "give.recorded")."""
    parts = cls.__qualname__.split(".")
    kind = snake(parts[-2]) if len(parts) > 1 else cls.__module__.rpartition(".")[2]
    return kind, f"{kind}.{snake(parts[-1])}"


class AuditProjection(Projection):
    name = "audit"
    version = 1
    tables = (LINES, INVOLVED, SUBJECTS, HOLDS)
    events: tuple[type, ...] = ()  # no topic filter: every event of the log

    def __init__(self, line_format: LineFormat) -> None:
        self.format = line_format

    def process(self, events: Sequence[Positioned], tx: Tx) -> None:
        batch = _Batch(self.format, tx, events)
        for position, event in events:
            batch.add(position, event)
        batch.write()


@dataclass
class _Subject:
    """What the lines of one aggregate share: a row of ``audit_subjects``."""

    target_id: str
    circle: str | None
    parties: str  # member ids, space-separated, sorted
    secret: int
    position: int

    def row(self) -> tuple[Any, ...]:
        return (self.target_id, self.circle, self.parties, self.secret, self.position)


class _Batch:
    """The lines of one batch, chained in memory and written with one statement each."""

    def __init__(self, line_format: LineFormat, tx: Tx, events: Sequence[Positioned]) -> None:
        self.format, self.tx = line_format, tx
        last = tx.fetchall("SELECT hash FROM {audit_lines} ORDER BY position DESC LIMIT 1")
        self.prev_hash = last[0][0] if last else line_format.genesis
        self.lines: list[tuple[Any, ...]] = []
        self.involved: list[tuple[str, int]] = []
        self.changed: set[str] = set()
        wanted = {str(e.originator_id) for _, e in events}
        wanted |= {str(e.proposal_id) for _, e in events if getattr(e, "proposal_id", None)}
        self.subjects: dict[str, _Subject] = {
            row[0]: _Subject(*row) for row in tx.fetch_in(
                "SELECT target_id, circle, parties, secret, position FROM {audit_subjects} "
                "WHERE target_id IN ({keys})", sorted(wanted))
        }
        self.holds_opened: dict[str, int] = {}  # proposal id -> position of Opened
        self.released: set[str] = set()

    def add(self, position: int, event: Any) -> None:
        kind, action = action_of(type(event))
        target_id = str(event.originator_id)
        data = {k: v for k, v in vars(event).items() if k not in _ENVELOPE}
        actor = getattr(event, "by", None)
        named = set(_parties(data))
        subject = self.subjects.get(target_id) or self._first(position, kind, target_id,
                                                              data, named)
        if action == "proposal.opened" and (data.get("rules") or {}).get("secret"):
            subject = subject or self._subject(target_id, None, "", position)
            subject.secret, subject.position = 1, position
            self.changed.add(target_id)
        self._hold(position, action, target_id, data)
        circle = data.get("circle_id") or (subject.circle if subject else None)
        if kind == "ballot":
            _redact(data, secret=bool(subject and subject.secret))
        for field in CONCEALED.get(action, ()):
            if data.get(field):
                data[field] = self.format.conceal(str(data[field]))
        fields = (position, self.format.time(event.timestamp), action,
                  None if actor is None else str(actor), kind, target_id,
                  event.originator_version, None if circle is None else str(circle),
                  self.format.details(data), self.prev_hash)
        self.prev_hash = self.format.hash(fields)
        self.lines.append((*fields[:2], micros(event.timestamp), *fields[2:], self.prev_hash))
        members = named | {fields[3]} | ({target_id} if kind == "member" else set())
        if subject:
            members.update(subject.parties.split())
        self.involved += [(m, position) for m in sorted(m for m in members if m)]

    def _hold(self, position: int, action: str, target_id: str, data: dict[str, Any]) -> None:
        """Note when a proposal with hidden results opens and when it ends."""
        if action == "proposal.opened" and (data.get("rules") or {}).get("hidden_results"):
            self.holds_opened[target_id] = position
            self.released.discard(target_id)
        elif action in ("proposal.closed", "proposal.withdrawn"):
            self.holds_opened.pop(target_id, None)
            self.released.add(target_id)

    def _first(self, position: int, kind: str, target_id: str, data: dict[str, Any],
               named: set[str]) -> _Subject | None:
        """Note what the later events of a new aggregate need: circle, parties, secrecy."""
        circle = data.get("circle_id") or (target_id if kind == "circle" else None)
        secret = 0
        proposal = self.subjects.get(str(data.get("proposal_id")))
        if kind == "ballot" and proposal is not None:
            circle, secret = circle or proposal.circle, proposal.secret
        if not (circle or named or secret):
            return None
        subject = self._subject(target_id, circle, " ".join(sorted(named)), position)
        subject.secret = secret
        return subject

    def _subject(self, target_id: str, circle: Any, parties: str, position: int) -> _Subject:
        subject = _Subject(target_id, None if circle is None else str(circle), parties, 0,
                           position)
        self.subjects[target_id] = subject
        self.changed.add(target_id)
        return subject

    def write(self) -> None:
        columns = ("position", "recorded_at", "at", *LINE_COLUMNS[2:])
        self.tx.executemany(
            f"INSERT INTO {{audit_lines}} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})", self.lines)
        self.tx.executemany("INSERT INTO {audit_involved} (member_id, position) VALUES (?, ?)",
                            self.involved)
        self.tx.executemany(
            "INSERT INTO {audit_subjects} (target_id, circle, parties, secret, position) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (target_id) DO UPDATE SET "
            "circle = excluded.circle, parties = excluded.parties, secret = excluded.secret, "
            "position = excluded.position",
            [self.subjects[t].row() for t in sorted(self.changed)])
        self.tx.executemany("DELETE FROM {audit_holds} WHERE proposal_id = ?",
                            [(p,) for p in sorted(self.released)])
        self.tx.executemany("INSERT INTO {audit_holds} (proposal_id, position) VALUES (?, ?)",
                            sorted(self.holds_opened.items()))


def _parties(data: dict[str, Any]) -> Iterable[str]:
    for field in PARTY_FIELDS:
        if data.get(field) is not None:
            yield str(data[field])
    for share in data.get("shares") or ():  # a distribution's allocation
        if isinstance(share, dict) and share.get("member_id") is not None:
            yield str(share["member_id"])


def _redact(data: dict[str, Any], *, secret: bool) -> None:
    """Blank what would link a voter to a choice: sealed fields, and on a secret
    proposal the choice fields too."""
    for field, value in data.items():
        if value is not None and (field.startswith("sealed")
                                  or (secret and field.startswith("choice"))):
            data[field] = REDACTED
