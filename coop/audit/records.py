"""Reading an audit export back: its lines, its header and its closing head line.

JSON Lines or CSV, told apart by the first character. Each line's own hash is
checked as it is read (see coop.audit.canonical for what it covers); how lines link
is for coop.audit.verify. Bytes that are not UTF-8 are read as U+FFFD, so they show
up as a changed line rather than stopping the reading.
"""

from __future__ import annotations

import csv
import json
import json.scanner
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from coop.audit.canonical import COLUMNS, Line, as_dict, body_text, canonical, chain_hash
from coop.audit.export import FULL, RANGE, SLICE

FIELDS = frozenset(("action", "actor", "circle", "details", "hash", "position", "prev_hash",
                    "recorded_at", "target"))
_HEX_DIGITS = "0123456789abcdef"


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and not value.strip(_HEX_DIGITS)


def _refuse(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


# NaN and Infinity are not JSON, and no export writes them.
_DECODER = json.JSONDecoder(parse_constant=_refuse)
_decode = _DECODER.decode
_scan = json.scanner.make_scanner(_DECODER)  # type: ignore[attr-defined]


def _decode_line(text: str) -> Any:
    """Return the JSON value that is ``text``; the scanner alone is quicker for a line
    as exported (no surrounding space), the full decoder handles the rest."""
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return _decode(text)
    return value if end == len(text) else _decode(text)


class Entry(NamedTuple):
    """A line of the chain as read from the file (its own hash already checked)."""

    number: int
    position: int
    prev_hash: str
    hash: str


class Bad(NamedTuple):
    """A line that cannot be a line of the chain."""

    number: int
    reason: str
    position: int | None = None


@dataclass(frozen=True)
class Header:
    number: int
    kind: str
    reaches_head: bool  # no --until: the export runs up to the head


@dataclass(frozen=True)
class Trailer:
    number: int
    head_hash: str
    head_position: int
    lines: int


Record = Entry | Bad | Header | Trailer


def read(path: Path | str) -> Iterator[Record]:
    """Yield the records of an export file, JSON Lines or CSV (told by its first byte)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as file:
        first = file.read(1)
        file.seek(0)
        if first == "{":
            yield from read_jsonl(file)
        else:
            yield from read_csv(file)


# The end of a line as the export writes it: everything after the details.
_TAIL = re.compile(r',"hash":"([0-9a-f]{64})","position":([1-9][0-9]*),'
                   r'"prev_hash":"([0-9a-f]{64})","recorded_at":"[^"\\]*","target":\{"id":"[^"\\]*","type":"[^"\\]*",'
                   r'"version":[0-9]+\}\}')
_HASH_PAIR = len('"hash":"",') + 64


def read_jsonl(lines: Iterable[str]) -> Iterator[Record]:
    for number, raw in enumerate(lines, 1):
        text = raw.rstrip("\r\n")
        found = _as_written(number, text)
        if found is not None:
            yield found
            continue
        try:
            obj = _decode_line(text)
        except ValueError:
            yield Bad(number, "it is empty" if not text.strip() else "it is not valid JSON")
            continue
        if not isinstance(obj, dict):
            yield Bad(number, "it is not a JSON object")
        elif number == 1 and "audit_export" in obj:
            yield _header(number, obj["audit_export"])
        elif "head" in obj and "hash" not in obj:
            yield _trailer(number, obj)
        else:
            yield entry(number, obj)


def _as_written(number: int, text: str) -> Entry | None:
    """Return the line as an Entry if its text is a line as the export writes it
    whose hash matches; None leaves it to be parsed and checked field by field.

    Taking ``"hash":"<hash>",`` out of the text leaves what the hash covers. If that
    hashes to the hash, the text is, byte for byte, a body that was hashed (SHA-256
    has no known collisions): for a line of the chain, the canonical JSON the
    projection wrote, so it need not be parsed and encoded again. A line that was
    never in the chain can pass only if whoever made it hashed it too, and then its
    link to the lines around it is what gives it away, as for any forged line.
    """
    cut = text.rfind(',"hash":"')
    found = _TAIL.fullmatch(text, cut) if cut > 0 else None
    if found is None:
        return None
    stated, position, prev_hash = found.groups()
    if chain_hash(prev_hash, text[:cut + 1] + text[cut + 1 + _HASH_PAIR:]) != stated:
        return None
    return Entry(number, int(position), prev_hash, stated)


def read_csv(stream: IO[str]) -> Iterator[Record]:
    reader = csv.reader(stream)
    if next(reader, None) != list(COLUMNS):
        yield Bad(1, f"it is not the header row of an audit export ({','.join(COLUMNS)})")
        return
    for row in reader:
        number = reader.line_num
        if len(row) != len(COLUMNS):
            yield Bad(number, f"it has {len(row)} columns, not {len(COLUMNS)}")
            continue
        (position, recorded_at, action, actor, target_type, target_id, version, circle,
         details, prev_hash, stated) = row
        try:
            line = Line(_integer(position), recorded_at, action, actor or None, target_type,
                        target_id, _integer(version), circle or None, details, prev_hash,
                        stated)
        except ValueError:
            yield Bad(number, "its position or target version is not a whole number")
            continue
        # As above: with the details' text as found, the body as the export writes it.
        if _is_hash(prev_hash) and stated == chain_hash(prev_hash, body_text(line)):
            yield Entry(number, line.position, prev_hash, stated)
            continue
        try:
            obj = as_dict(line._replace(details="null")) | {"details": _decode(details)}
        except ValueError:
            yield Bad(number, "its details are not valid JSON", line.position)
            continue
        yield entry(number, obj)


def entry(number: int, obj: dict[str, Any]) -> Entry | Bad:
    """Return the line as an Entry if its hash matches its content, else Bad."""
    if obj.keys() != FIELDS:
        missing, extra = sorted(FIELDS - obj.keys()), sorted(obj.keys() - FIELDS)
        return Bad(number, "it is not an audit line ("
                   + "; ".join([f"missing {', '.join(missing)}"] * bool(missing)
                               + [f"unexpected {', '.join(extra)}"] * bool(extra)) + ")")
    position, prev_hash, stated = obj["position"], obj["prev_hash"], obj["hash"]
    if type(position) is not int or not _is_hash(prev_hash):
        return Bad(number, "its position or prev_hash is malformed")
    body = {k: v for k, v in obj.items() if k != "hash"}
    if stated != chain_hash(prev_hash, canonical(body)):
        return Bad(number, "its content was changed: its hash does not match what it says",
                   position)
    return Entry(number, position, prev_hash, stated)


def _header(number: int, data: Any) -> Header | Bad:
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in (FULL, RANGE, SLICE):
        return Bad(number, "its export header names no kind (full, range or slice)")
    filters = data.get("filters") or {}
    return Header(number, kind, reaches_head=filters.get("until") is None)


def _trailer(number: int, obj: dict[str, Any]) -> Trailer | Bad:
    head = obj.get("head")
    try:
        return Trailer(number, str(head["hash"]), int(head["position"]), int(obj["lines"]))
    except (TypeError, KeyError, ValueError):
        return Bad(number, "its closing head line is malformed")


def _integer(text: str) -> int:
    if not text.isdigit():  # int() would take " 7", "+7" or "7_0" as well
        raise ValueError(text)
    return int(text)
