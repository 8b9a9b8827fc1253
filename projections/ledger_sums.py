"""Summing ledger figures over any span of time, month by month.

Whole months come from the month totals (a row per member and month); the ragged
ends of a span (the month an "as of" date falls in, or a period starting mid-month)
come from the entries, which carry their event's time. So every figure over
[lo, hi) equals a sum over exactly the events in it, and a member's read costs a row
per month of their history, however long the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.fairshare import reciprocity_index
from projections.ledger_tables import hours_of, month_at, month_start, money_of, next_month
from projections.store import Tx


@dataclass
class Sums:
    """Figures of one member (or a whole scope) over some span, in stored units."""

    given_c: int = 0
    received_c: int = 0
    passed: int = 0
    referred: int = 0
    closed: dict[str, int] = field(default_factory=dict)

    def add(self, other: Sums) -> None:
        self.given_c += other.given_c
        self.received_c += other.received_c
        self.passed += other.passed
        self.referred += other.referred
        for currency, amount in other.closed.items():
            self.closed[currency] = self.closed.get(currency, 0) + amount

    def figures(self) -> dict[str, Any]:
        """Return the figures as members read them (Decimals, counts, money per currency)."""
        given, received = hours_of(self.given_c), hours_of(self.received_c)
        return {
            "given": given,
            "received": received,
            "balance": given - received,
            "index": index(given, received),
            "referrals_passed": self.passed,
            "referrals_received": self.referred,
            "closed_business": {c: money_of(a, c) for c, a in sorted(self.closed.items()) if a},
        }


def index(given: Decimal, received: Decimal) -> Decimal | None:
    """Return (G - R) / (G + R), None when inactive.

    Also None for a span whose figures are negative (a reversal of a give confirmed
    before the span): no meaningful index exists there.
    """
    if given < 0 or received < 0:
        return None
    return reciprocity_index(given, received)


@dataclass(frozen=True)
class Span:
    """Which months to read whole from the month totals and which entries to add.

    ``months`` is (first, end) with ``None`` for an open side (end exclusive);
    ``edges`` are the [a, b) microsecond intervals read from the entries.
    """

    months: tuple[int | None, int | None] | None
    edges: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, lo: int | None, hi: int | None) -> Span:
        first = None if lo is None else (
            month_at(lo) if month_start(month_at(lo)) == lo else next_month(month_at(lo)))
        end = None if hi is None else month_at(hi)
        if lo is not None and hi is not None and first is not None and end is not None \
                and first >= end:
            # No whole month inside: the span touches one month, or the ends of two.
            cut = month_start(first)
            pieces = [(lo, min(hi, cut)), (cut, hi)]
            return cls(None, tuple((a, b) for a, b in pieces if a < b))
        edges = []
        if lo is not None and first is not None and month_start(first) > lo:
            edges.append((lo, month_start(first)))
        if hi is not None and end is not None and month_start(end) < hi:
            edges.append((month_start(end), hi))
        return cls((first, end), tuple(edges))


def monthly(tx: Tx, scope: str, subtree: Sequence[str] | None, lo: int | None,
            hi: int | None, member: str | None = None) -> dict[tuple[str, int], Sums]:
    """Return sums per (member, month) over [lo, hi) in ``scope``.

    ``subtree`` is the scope's circles (None for the network); ``member`` narrows
    the read to one member (through their index).
    """
    span = Span.of(lo, hi)
    out: dict[tuple[str, int], Sums] = {}

    def at(member_id: str, month: int) -> Sums:
        return out.setdefault((member_id, month), Sums())

    if span.months is not None:
        where, params = _month_filter(scope, span.months, member)
        for m, month, given, received, passed, referred in tx.fetchall(
                "SELECT member_id, month, given_c, received_c, passed, referred "
                f"FROM {{ledger_months}} WHERE {where}", params):
            s = at(m, month)
            s.given_c += given
            s.received_c += received
            s.passed += passed
            s.referred += referred
        for m, month, currency, amount in tx.fetchall(
                "SELECT member_id, month, currency, amount_minor "
                f"FROM {{closed_months}} WHERE {where}", params):
            at(m, month).closed[currency] = amount
    for a, b in span.edges:
        month = month_at(a)
        where, params = _entry_filter(subtree, a, b, member)
        for m, given, received in tx.fetchall(
                "SELECT member_id, SUM(given_c), SUM(received_c) FROM {give_entries} "
                f"WHERE {where} GROUP BY member_id", params):
            s = at(m, month)
            s.given_c += int(given)
            s.received_c += int(received)
        for m, kind, currency, count, amount in tx.fetchall(
                "SELECT member_id, kind, currency, COUNT(*), SUM(amount_minor) "
                f"FROM {{referral_entries}} WHERE {where} GROUP BY member_id, kind, currency",
                params):
            s = at(m, month)
            if kind == "passed":
                s.passed += int(count)
            elif kind == "received":
                s.referred += int(count)
            else:
                s.closed[currency] = s.closed.get(currency, 0) + int(amount)
    return out


def totals(per_month: dict[tuple[str, int], Sums]) -> dict[str, Sums]:
    """Return each member's sums over all the months of ``per_month``."""
    out: dict[str, Sums] = {}
    for (member_id, _), sums in per_month.items():
        out.setdefault(member_id, Sums()).add(sums)
    return out


def _month_filter(scope: str, months: tuple[int | None, int | None],
                  member: str | None) -> tuple[str, list[Any]]:
    where, params = ["scope = ?"], [scope]
    if member is not None:
        where.append("member_id = ?")
        params.append(member)
    first, end = months
    if first is not None:
        where.append("month >= ?")
        params.append(first)
    if end is not None:
        where.append("month < ?")
        params.append(end)
    return " AND ".join(where), params


def _entry_filter(subtree: Sequence[str] | None, a: int, b: int,
                  member: str | None) -> tuple[str, list[Any]]:
    where, params = ["at >= ?", "at < ?"], [a, b]
    if member is not None:
        where.append("member_id = ?")
        params.append(member)
    if subtree is not None:
        where.append(f"circle_id IN ({','.join('?' * len(subtree))})")
        params += list(subtree)
    return " AND ".join(where), params
