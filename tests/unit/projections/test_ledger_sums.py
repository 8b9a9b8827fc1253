"""Which months are read whole and which ends come from the entries."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal as D

from projections.base import micros
from projections.ledger_sums import Span, index
from projections.ledger_tables import day_end, day_start, month_start


def at(*args: int) -> int:
    return micros(datetime(*args, tzinfo=timezone.utc))


def test_as_of_reads_whole_months_before_it_and_entries_of_its_own_month():
    span = Span.of(None, day_end(date(2025, 3, 14)))
    assert span.months == (None, 202503)
    assert span.edges == ((at(2025, 3, 1), at(2025, 3, 15)),)


def test_as_of_the_last_day_of_a_month_needs_no_entries():
    span = Span.of(None, day_end(date(2025, 3, 31)))
    assert span.months == (None, 202504)
    assert span.edges == ()


def test_a_period_of_whole_months_reads_only_month_totals():
    span = Span.of(day_start(date(2024, 12, 1)), day_end(date(2025, 2, 28)))
    assert span.months == (202412, 202503)
    assert span.edges == ()


def test_a_ragged_period_reads_its_ends_from_the_entries():
    span = Span.of(day_start(date(2025, 1, 15)), day_end(date(2025, 4, 9)))
    assert span.months == (202502, 202504)
    assert span.edges == ((at(2025, 1, 15), at(2025, 2, 1)), (at(2025, 4, 1), at(2025, 4, 10)))


def test_a_period_across_one_month_boundary_is_cut_at_it():
    span = Span.of(day_start(date(2025, 1, 20)), day_end(date(2025, 2, 3)))
    assert span.months is None
    assert span.edges == ((at(2025, 1, 20), at(2025, 2, 1)), (at(2025, 2, 1), at(2025, 2, 4)))


def test_a_period_inside_one_month_is_read_from_the_entries():
    span = Span.of(day_start(date(2025, 2, 1)), day_end(date(2025, 2, 1)))
    assert span.months is None
    assert span.edges == ((month_start(202502), at(2025, 2, 2)),)


def test_the_index_is_none_when_inactive_or_when_a_reversal_makes_a_figure_negative():
    assert index(D("3"), D("1")) == D("0.5000")
    assert index(D("0"), D("0")) is None
    assert index(D("-2"), D("0")) is None
