"""Verifying exports: what holds, and every kind of tampering named at the right line.

In a JSON Lines export, line 1 is the export's header, so the chain's n-th line is
the file's line n + 1; in a CSV export line 1 is the header row, likewise.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coop.audit.canonical import GENESIS, line_text
from coop.audit.export import Selection
from coop.audit.records import read_csv, read_jsonl
from coop.audit.verify import ChainBroken, Report, read, verify
from tests.unit.audit.chains import csv_file, forged, head_of, jsonl_file, make_chain

CHAIN = make_chain(8, gap_every=3)  # positions 1 2 3 5 6 7 9 10
HEAD = head_of(CHAIN).hash


def check_jsonl(file: list[str], **options: str) -> Report:
    return verify(read_jsonl(file), **options)


def check_csv(file: list[str], **options: str) -> Report:
    return verify(read_csv(io.StringIO("".join(file), newline="")), **options)


def broken(check: object, file: list[str], **options: str) -> ChainBroken:
    with pytest.raises(ChainBroken) as caught:
        check(file, **options)  # type: ignore[operator]
    return caught.value


# -- what holds -----------------------------------------------------------------------
def test_a_full_export_holds_with_its_head_and_line_count() -> None:
    report = check_jsonl(jsonl_file(CHAIN), head=HEAD)
    assert (report.kind, report.lines, report.head) == ("full", 8, HEAD)
    assert report.summary().startswith(f"chain holds: 8 lines, head {HEAD}")


def test_a_csv_export_holds() -> None:
    report = check_csv(csv_file(CHAIN), head=HEAD)
    assert (report.lines, report.first, report.last) == (8, 1, 10)


def test_an_empty_log_exports_and_verifies() -> None:
    report = check_jsonl(jsonl_file([]), head=GENESIS)
    assert (report.lines, report.head) == (0, GENESIS)


def test_a_range_holds_though_it_does_not_start_at_the_genesis() -> None:
    file = jsonl_file(CHAIN[3:], Selection(since=5), head_of(CHAIN))
    assert check_jsonl(file, head=HEAD).summary().startswith("chain holds: 5 lines")
    # Checked as a full export, it says lines are missing before it.
    assert "does not start the chain" in str(broken(check_jsonl, file, kind="full"))


def test_a_slice_holds_line_by_line_and_counts_its_linked_runs() -> None:
    picked = [CHAIN[0], CHAIN[1], CHAIN[4], CHAIN[6], CHAIN[7]]
    report = check_jsonl(jsonl_file(picked, Selection(actions=("give.recorded",)),
                                    head_of(CHAIN)), head=HEAD)
    assert (report.kind, report.lines, report.runs, report.head) == ("slice", 5, 3, HEAD)


def test_a_slice_checked_as_a_full_export_fails_at_its_first_gap() -> None:
    picked = [CHAIN[0], CHAIN[1], CHAIN[4]]
    error = broken(check_csv, csv_file(picked))
    assert error.number == 4 and "broken link" in error.reason
    assert check_csv(csv_file(picked), kind="slice").lines == 3


# -- tampering with a full export -----------------------------------------------------
@pytest.mark.parametrize("field, old, new", [
    ("details", '"hours":"1.50"', '"hours":"9.50"'),
    ("actor", '"actor":"35', '"actor":"45'),
    ("position", '"position":5', '"position":4'),
    ("hash", '"hash":"', '"hash":"0'),
])
def test_a_changed_byte_names_its_line(field: str, old: str, new: str) -> None:
    file = jsonl_file(CHAIN)
    file[4] = file[4].replace(old, new, 1)  # the 4th line of the chain, at position 5
    if field == "hash":  # keep it 64 digits: only its value changed
        file[4] = file[4].replace(f'"hash":"0{CHAIN[3].hash}', f'"hash":"0{CHAIN[3].hash[1:]}')
    error = broken(check_jsonl, file)
    assert error.number == 5
    assert "changed" in error.reason or "malformed" in error.reason


def test_a_changed_byte_in_a_csv_cell_names_its_line() -> None:
    file = csv_file(CHAIN)
    file[6] = file[6].replace("1.50", "1.05")
    error = broken(check_csv, file)
    assert error.number == 7 and "its content was changed" in error.reason


def test_a_deleted_line_is_named_by_the_line_that_now_follows_the_gap() -> None:
    file = jsonl_file(CHAIN)
    del file[3]
    error = broken(check_jsonl, file)
    assert error.number == 4 and "lines are missing before it" in error.reason


def test_a_deleted_first_line_is_caught() -> None:
    file = jsonl_file(CHAIN)
    del file[1]
    assert broken(check_jsonl, file).number == 2


def test_two_swapped_lines_are_named() -> None:
    file = jsonl_file(CHAIN)
    file[3], file[4] = file[4], file[3]
    error = broken(check_jsonl, file)
    assert error.number == 4 and "out of order" in error.reason


def test_swapped_lines_far_apart_are_caught_at_the_first() -> None:
    file = jsonl_file(CHAIN)
    file[2], file[6] = file[6], file[2]
    assert broken(check_jsonl, file).number == 3


def test_a_duplicated_line_is_named() -> None:
    file = jsonl_file(CHAIN)
    file.insert(4, file[3])
    error = broken(check_jsonl, file)
    assert error.number == 5 and "duplicates line 4" in error.reason


@pytest.mark.parametrize("position", [4, 5])  # in a gap of the positions, or on one in use
def test_a_forged_line_with_its_own_hash_recomputed_is_named(position: int) -> None:
    file = jsonl_file(CHAIN)
    # After the 3rd line of the chain (position 3), linked to it, hash recomputed.
    file.insert(4, line_text(forged(CHAIN[2], position)) + "\n")
    error = broken(check_jsonl, file)
    assert error.number == 5 and "inserted" in error.reason


def test_a_forged_line_in_csv_is_named() -> None:
    file = csv_file(CHAIN)
    file.insert(3, csv_file([forged(CHAIN[1], 3)])[1])  # after the chain's 2nd line
    error = broken(check_csv, file)
    assert error.number == 4 and "inserted" in error.reason


def test_a_cut_off_tail_is_caught_with_the_head() -> None:
    file = csv_file(CHAIN)[:-2]  # the last two lines gone
    assert check_csv(file).lines == 6  # without the head there is nothing to miss
    error = broken(check_csv, file, head=HEAD)
    assert error.number == 7 and "lines are missing at the end" in error.reason


def test_a_cut_off_json_lines_export_is_caught_even_without_the_head() -> None:
    file = jsonl_file(CHAIN)[:-3]  # the closing head line and two lines gone
    error = broken(check_jsonl, file)
    assert error.number == 7 and "cut short" in error.reason
    assert broken(check_jsonl, file, head=HEAD).number == 7


def test_a_cut_off_tail_with_a_forged_closing_line_is_caught_by_the_head() -> None:
    file = jsonl_file(CHAIN[:6])  # a consistent export of the first six lines
    assert check_jsonl(file).lines == 6
    error = broken(check_jsonl, file, head=HEAD)
    assert error.number == 8 and "not the head given" in error.reason


def test_lines_dropped_before_an_untouched_closing_line_are_caught() -> None:
    file = jsonl_file(CHAIN)
    del file[-3:-1]
    error = broken(check_jsonl, file)
    assert error.number == 8 and "says it has 8 lines" in error.reason


@pytest.mark.parametrize("junk, reason", [("\n", "empty"), ("not json\n", "not valid JSON"),
                                          ('{"action": "x"}\n', "not an audit line")])
def test_a_line_that_is_not_an_audit_line_is_named(junk: str, reason: str) -> None:
    file = jsonl_file(CHAIN)
    file.insert(3, junk)
    error = broken(check_jsonl, file)
    assert error.number == 4 and reason in error.reason


def test_the_first_failure_is_reported_not_a_later_one() -> None:
    file = jsonl_file(CHAIN)
    del file[3]
    file[6] = file[6].replace("1.50", "2.50")
    assert broken(check_jsonl, file).number == 4


# -- tampering with a slice -----------------------------------------------------------
def slice_file() -> list[str]:
    picked = [CHAIN[0], CHAIN[2], CHAIN[3], CHAIN[5], CHAIN[7]]
    return jsonl_file(picked, Selection(member="m"), head_of(CHAIN))


def test_a_changed_line_of_a_slice_is_named() -> None:
    file = slice_file()
    file[3] = file[3].replace("help", "hélp")
    assert broken(check_jsonl, file).number == 4


def test_a_duplicated_or_reordered_line_of_a_slice_is_named() -> None:
    file = slice_file()
    file.insert(3, file[2])
    assert "duplicates" in broken(check_jsonl, file).reason
    file = slice_file()
    file[2], file[4] = file[4], file[2]  # positions 1, 7, 5, 3, 10: 5 is the first to fall
    error = broken(check_jsonl, file)
    assert error.number == 4 and "out of order" in error.reason


def test_a_slice_checked_against_another_head_fails() -> None:
    error = broken(check_jsonl, slice_file(), head="f" * 64)
    assert "is not the head given" in error.reason


# -- reading --------------------------------------------------------------------------
def test_a_line_written_out_again_by_another_json_tool_still_holds() -> None:
    file = jsonl_file(CHAIN)
    # Spaces after separators, keys in another order: the same line, other bytes.
    file[3] = json.dumps(dict(reversed(json.loads(file[3]).items()))) + "\n"
    assert check_jsonl(file, head=HEAD).lines == 8


def test_bytes_that_are_not_utf8_are_a_changed_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    file = jsonl_file(CHAIN)
    path.write_bytes("".join(file[:3]).encode() + file[3].encode().replace(b"help", b"h\xffp")
                     + "".join(file[4:]).encode())
    with pytest.raises(ChainBroken) as caught:
        verify(read(path))
    assert caught.value.number == 4 and "changed" in caught.value.reason
