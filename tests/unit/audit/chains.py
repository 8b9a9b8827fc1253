"""Chains of audit lines made in memory, and exports of them, for the unit tests."""

from __future__ import annotations

import json
from collections.abc import Sequence

from coop.audit.canonical import GENESIS, Line, body_text, canonical, chain_hash
from coop.audit.export import FULL, Head, Selection, csv_text, jsonl

ALICE = "35bfc47d-e784-5064-bacd-5a4d8c6dde7e"
BOB = "3a3690ec-4dbe-5cb7-b68c-5f890ba7c013"


def sealed(line: Line) -> Line:
    """Return ``line`` with the hash its fields call for."""
    return line._replace(hash=chain_hash(line.prev_hash, body_text(line)))


def make_chain(count: int, *, start: int = 1, gap_every: int = 0) -> list[Line]:
    """Return ``count`` linked lines from the genesis: gives of 1.50 hours, with a
    gap in the positions every ``gap_every`` lines (as PostgreSQL may leave)."""
    lines: list[Line] = []
    prev, position = GENESIS, start
    for i in range(count):
        details = canonical({"giver": ALICE, "receiver": BOB, "hours": "1.50",
                             "description": f"help nº {i}", "circle_id": None})
        line = sealed(Line(position, f"2025-03-01T09:{i % 60:02d}:00.000000Z",
                           "give.recorded", ALICE, "give", f"00000000-0000-4000-8000-{i:012d}",
                           1, None, details, prev, ""))
        lines.append(line)
        prev = line.hash
        position += 2 if gap_every and i % gap_every == gap_every - 1 else 1
    return lines


def head_of(lines: Sequence[Line]) -> Head:
    return Head(lines[-1].position, lines[-1].hash) if lines else Head(0, GENESIS)


def jsonl_file(lines: Sequence[Line], selection: Selection | None = None,
               head: Head | None = None) -> list[str]:
    """Return the JSON Lines export of ``lines`` as the list of its file's lines."""
    text = "".join(jsonl([list(lines)], selection or Selection(), head or head_of(lines)))
    return text.splitlines(keepends=True)


def csv_file(lines: Sequence[Line]) -> list[str]:
    return "".join(csv_text([list(lines)])).splitlines(keepends=True)


def forged(after: Line, position: int) -> Line:
    """Return a line that claims to follow ``after``, its own hash recomputed."""
    return sealed(Line(position, after.recorded_at, "give.recorded", BOB, "give",
                       "00000000-0000-4000-8000-999999999999", 1, None,
                       canonical({"hours": "200.00"}), after.hash, ""))


def kind_of(file: list[str]) -> str:
    first = json.loads(file[0])
    return first["audit_export"]["kind"] if "audit_export" in first else FULL
