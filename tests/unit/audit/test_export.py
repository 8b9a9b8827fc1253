"""Exports stream: a page of lines is read only when the one before has been written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.audit.canonical import COLUMNS, GENESIS, Line
from coop.audit.export import (
    AuditLog, Head, Selection, check_action, csv_text, jsonl, parse_bound,
)
from domain.errors import InvalidValue

PAGE = 250


class MadeUpRows:
    """A read-model store whose audit rows are made up as they are asked for, and
    which counts how many it has handed out."""

    dialect = "sqlite"

    def __init__(self, total: int) -> None:
        self.total = total
        self.handed_out = 0
        self.queries = 0

    @contextmanager
    def reading(self) -> Iterator[MadeUpRows]:
        yield self

    def fetchall(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        after, upto, limit = params
        self.queries += 1
        rows = [self.row(p) for p in range(after + 1, min(upto, after + limit) + 1)]
        self.handed_out += len(rows)
        return rows

    def execute(self, sql: str, params: Any = ()) -> int:
        return 0  # PRAGMA shrink_memory

    @staticmethod
    def row(position: int) -> tuple[Any, ...]:
        values = {"position": position, "recorded_at": "2025-03-01T09:30:00.000000Z",
                  "action": "give.confirmed", "actor": None, "target_type": "give",
                  "target_id": f"g{position}", "target_version": 2, "circle": None,
                  "details": "{}", "prev_hash": GENESIS, "hash": GENESIS}
        return tuple(values[c] for c in COLUMNS)


@pytest.mark.parametrize("write", [
    lambda pages, head: jsonl(pages, Selection(), head),
    lambda pages, head: csv_text(pages),
], ids=["jsonl", "csv"])
def test_an_export_never_holds_more_than_one_page_of_lines(write: Any) -> None:
    store = MadeUpRows(total=10_000)
    log = AuditLog(store, page=PAGE)  # type: ignore[arg-type]
    chunks = write(log.pages(Selection(), Head(10_000, GENESIS)), Head(10_000, GENESIS))
    assert store.queries == 0  # nothing is read before the export is pulled

    written = 0
    for chunk in chunks:
        written += chunk.count("\n")
        # Read so far, less written so far (give or take the header and head lines).
        assert store.handed_out - written <= PAGE
    assert store.handed_out == 10_000
    assert store.queries == 10_000 // PAGE


def test_an_export_stops_at_the_head_it_started_with() -> None:
    store = MadeUpRows(total=10)
    log = AuditLog(store, page=4)  # type: ignore[arg-type]
    pages = list(log.pages(Selection(), Head(7, GENESIS)))
    assert [[line.position for line in page] for page in pages] == [[1, 2, 3, 4], [5, 6, 7]]


@pytest.mark.parametrize("since, until, span", [(3, None, (2, 7)), (None, 5, (0, 4)),
                                                (3, 5, (2, 4))])
def test_positions_run_from_since_included_to_until_excluded(since: int | None,
                                                             until: int | None,
                                                             span: tuple[int, int]) -> None:
    log = AuditLog(MadeUpRows(total=10))  # type: ignore[arg-type]
    assert log._bounds(Selection(since=since, until=until), Head(7, GENESIS)) == span


def test_a_bare_number_is_a_position_anything_else_a_utc_time() -> None:
    assert parse_bound("120") == 120
    assert parse_bound("2025-03-01") == datetime(2025, 3, 1, tzinfo=timezone.utc)
    assert parse_bound("2025-03-01T10:00:00+01:00") == datetime(2025, 3, 1, 9,
                                                                 tzinfo=timezone.utc)
    assert parse_bound("2025-03-01T09:00:00Z") == datetime(2025, 3, 1, 9, tzinfo=timezone.utc)
    with pytest.raises(InvalidValue, match="neither a log position"):
        parse_bound("last tuesday")


def test_an_action_is_aggregate_dot_event() -> None:
    assert check_action(" Give.Recorded ") == "give.recorded"
    with pytest.raises(InvalidValue):
        check_action("give")


def test_what_an_export_claims_to_be_follows_its_filters() -> None:
    assert Selection().kind == "full"
    assert Selection(since=3, until=datetime(2025, 1, 1, tzinfo=timezone.utc)).kind == "range"
    assert Selection(since=3, actions=("give.recorded",)).kind == "slice"
    assert Selection(member="m").kind == Selection(circle="c").kind == "slice"


@given(st.lists(st.tuples(st.text(max_size=12), st.none() | st.text(max_size=12),
                          st.integers(min_value=1)), min_size=1, max_size=4))
def test_csv_rows_are_quoted_as_the_csv_module_quotes_them(values: list[Any]) -> None:
    lines = [Line(position, "2025-03-01T09:30:00.000000Z", text, maybe, "give", text, 1,
                  maybe, json.dumps({"t": text}, ensure_ascii=False), GENESIS, GENESIS)
             for text, maybe, position in values]
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow(COLUMNS)
    writer.writerows(lines)
    assert "".join(csv_text([lines])) == expected.getvalue()
