"""Surplus distributions as a list: which pool was shared in which circle, and when.

A distribution's shares are read from its own events (``FairShare.get``); this list
only says which distributions there are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.distribution import Distribution
from projections.base import Table, micros
from projections.directory import circle_names, names
from projections.ledger_tables import minor_units, money_of, time_of
from projections.listing import ByEvent, Page, Paging, Reader, insert, parse_id, sid, uuid_of
from projections.store import Tx

DISTRIBUTIONS = Table(
    "distributions",
    "distribution_id TEXT NOT NULL, circle_id TEXT NOT NULL, currency TEXT NOT NULL, "
    "pool_minor BIGINT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
    "rule_version INTEGER NOT NULL, declared_by TEXT NOT NULL, declared_at BIGINT NOT NULL, "
    "declared_position BIGINT NOT NULL, shares BIGINT NOT NULL, carried_forward INTEGER, "
    "position BIGINT NOT NULL",
    key=("distribution_id",),
    indexes=("declared_position", "circle_id, declared_position"),
)


class DistributionsProjection(ByEvent):
    name = "distributions"
    version = 1
    tables = (DISTRIBUTIONS,)
    events = (Distribution.Declared, Distribution.Allocated)

    def _Distribution_Declared(self, tx: Tx, pos: int, e: Any) -> None:
        pool = e.pool
        tx.execute(insert(DISTRIBUTIONS, (
            "distribution_id", "circle_id", "currency", "pool_minor", "period_start",
            "period_end", "rule_version", "declared_by", "declared_at", "declared_position",
            "shares", "carried_forward", "position")), (
            sid(e.originator_id), sid(e.circle_id), pool.currency,
            minor_units(pool.amount, pool.currency), e.period_start.isoformat(),
            e.period_end.isoformat(), e.rule_version, sid(e.by), micros(e.timestamp), pos,
            0, None, pos))

    def _Distribution_Allocated(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute("UPDATE {distributions} SET shares = ?, carried_forward = ?, position = ? "
                   "WHERE distribution_id = ?",
                   (sum(1 for s in e.shares if s["amount"] > 0), int(e.carried_forward), pos,
                    sid(e.originator_id)))


class Distributions(Reader):
    """The list of distributions, newest first."""

    def recent(self, paging: Paging, *, circle_id: Any = None) -> Page[dict[str, Any]]:
        where, params = "", []
        if circle_id is not None:
            where, params = "WHERE circle_id = ? ", [parse_id(circle_id, "circle")]
        with self._read() as tx:
            rows = tx.fetchall(
                "SELECT distribution_id, circle_id, currency, pool_minor, period_start, "
                "period_end, rule_version, declared_by, declared_at, shares, carried_forward "
                f"FROM {{distributions}} {where}ORDER BY declared_position DESC LIMIT ? OFFSET ?",
                [*params, paging.limit, paging.offset])
            page = paging.page(rows)
            circles = circle_names(tx, [r[1] for r in page.items])
            who = names(tx, [r[7] for r in page.items])
            return Page([{
                "id": uuid_of(d), "circle": {"id": uuid_of(c), "name": circles.get(c, "")},
                "pool": money_of(pool, currency), "currency": currency,
                "period_start": date.fromisoformat(start),
                "period_end": date.fromisoformat(end), "rule_version": version,
                "declared_by": {"id": uuid_of(by), "name": who.get(by, "")},
                "declared_at": time_of(at), "shares": shares,
                "carried_forward": bool(carried),
            } for d, c, currency, pool, start, end, version, by, at, shares, carried
                in page.items], page.number, page.size, page.has_next)
