"""Reading the fair-share ledger: figures, statements, activity and concentration.

Every query can be asked "as of" a past date (inclusive, UTC) and then equals what a
ledger built from only the events up to the end of that day shows. Results are
plain values: dicts, Decimals, UUIDs and datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.errors import InvalidValue, NotFound
from domain.fairshare import Activity, gini, top_share
from projections.ledger_sums import Sums, index, monthly, totals
from projections.ledger_tables import (
    NETWORK, day_end, day_start, hours_of, money_of, month_label, time_of,
)
from projections.listing import Reader
from projections.store import Tx

TOP_FRACTION = Decimal("0.1")


class LedgerQueries(Reader):
    """The ledger's read side. ``catch_up``, when given, runs before every query so
    that a member reads their own writes."""

    # -- the ledger -----------------------------------------------------------------------
    def ledger(self, circle_id: UUID | str | None = None,
               as_of: date | None = None) -> dict[str, Any]:
        """Return every member's figures in the network or a circle, in total and by month."""
        hi = day_end(as_of) if as_of else None
        with self._read() as tx:
            scope, subtree, name = self._scope(tx, circle_id)
            per_month = monthly(tx, scope, subtree, None, hi)
            sums = totals(per_month)
            eligible = self._eligible(tx, scope, None, hi)
            members = eligible | set(sums)
            names = self._names(tx, members)
            disputed = self._disputed(tx, subtree, hi)
            months = _months(per_month)
            lines = []
            for member_id in sorted(members, key=lambda m: (names.get(m, ""), m)):
                lines.append({
                    "member_id": UUID(member_id), "name": names.get(member_id, ""),
                    **sums.get(member_id, Sums()).figures(),
                    "disputed": _disputed_figures(disputed.get(member_id)),
                    "months": months.get(member_id, []),
                })
            all_months: dict[tuple[str, int], Sums] = {}
            for (_, month), month_sums in per_month.items():
                all_months.setdefault(("", month), Sums()).add(month_sums)
            total = Sums()
            for s in sums.values():
                total.add(s)
            return {
                "scope": {"circle_id": UUID(scope) if subtree is not None else None,
                          "name": name},
                "as_of": as_of,
                "members": lines,
                "totals": total.figures(),
                "months": _months(all_months).get("", []),
                "concentration": self._concentration(
                    [max(hours_of(sums.get(m, Sums()).given_c), Decimal(0)) for m in eligible]),
            }

    def member_ledger(self, member_id: UUID | str, circle_id: UUID | str | None = None,
                      as_of: date | None = None) -> dict[str, Any]:
        """Return one member's figures in total and by month (read through their index)."""
        hi = day_end(as_of) if as_of else None
        with self._read() as tx:
            member = self._member(tx, member_id)
            scope, subtree, _ = self._scope(tx, circle_id)
            per_month = monthly(tx, scope, subtree, None, hi, member=member["id"])
            sums = totals(per_month).get(member["id"], Sums())
            return {
                "member_id": UUID(member["id"]), "name": member["name"], "as_of": as_of,
                **sums.figures(),
                "disputed": _disputed_figures(
                    self._disputed(tx, subtree, hi, member["id"]).get(member["id"])),
                "months": _months(per_month).get(member["id"], []),
            }

    # -- the statement ----------------------------------------------------------------------
    def statement(self, member_id: UUID | str, as_of: date | None = None) -> dict[str, Any]:
        """Return every entry behind a member's balance, with its event and running balance."""
        hi = day_end(as_of) if as_of else None
        with self._read() as tx:
            member = self._member(tx, member_id)
            where, params = "member_id = ?", [member["id"]]
            if hi is not None:
                where, params = where + " AND at < ?", [*params, hi]
            rows = tx.fetchall(
                "SELECT position, at, kind, give_id, counterparty_id, circle_id, hours_c, "
                f"given_c, received_c FROM {{give_entries}} WHERE {where} ORDER BY position",
                params)
            open_disputes = self._dispute_rows(tx, hi, member["id"])
            names = self._names(tx, {r[4] for r in rows} | {r[4] for r in open_disputes})
            given = received = 0
            lines = []
            for position, at, kind, give_id, other, circle, hours, g, r in rows:
                given, received = given + g, received + r
                lines.append({
                    "position": position, "at": time_of(at), "kind": kind,
                    "give_id": UUID(give_id), "circle_id": _uuid(circle),
                    "counterparty": {"id": UUID(other), "name": names.get(other, "")},
                    "hours": hours_of(hours), "change": hours_of(g - r),
                    "balance": hours_of(given - received),
                })
            disputed = [{
                "position": position, "at": time_of(at), "kind": f"disputed_{side}",
                "give_id": UUID(give_id), "circle_id": _uuid(circle),
                "counterparty": {"id": UUID(other), "name": names.get(other, "")},
                "hours": hours_of(hours),
            } for position, at, side, give_id, other, circle, hours, _ in open_disputes]
            g_h, r_h = hours_of(given), hours_of(received)
            return {
                "member": {"id": UUID(member["id"]), "name": member["name"]},
                "as_of": as_of, "lines": lines, "disputed": disputed,
                "given": g_h, "received": r_h, "balance": g_h - r_h, "index": index(g_h, r_h),
            }

    # -- what fair-share arithmetic needs ---------------------------------------------------------
    def activity(self, circle_id: UUID | str | None, period_start: date,
                 period_end: date) -> list[Activity]:
        """Return one Activity per member eligible in the period, sorted by member id.

        Eligible: members of the circle at any time in the period (of the network when
        ``circle_id`` is None) who were in the network at some time in it: not gone
        before it started, nor away for all of it between leaving and coming back.
        Dates are inclusive UTC days.
        """
        lo, hi = _period(period_start, period_end)
        with self._read() as tx:
            scope, subtree, _ = self._scope(tx, circle_id)
            sums = totals(monthly(tx, scope, subtree, lo, hi))
            return [
                Activity(
                    member_id=UUID(m), give_hours=hours_of(s.given_c), referrals_passed=s.passed,
                    closed_business={c: money_of(a, c) for c, a in sorted(s.closed.items()) if a},
                )
                for m in sorted(self._eligible(tx, scope, lo, hi))
                for s in [sums.get(m, Sums())]
            ]

    def concentration(self, circle_id: UUID | str | None, period_start: date,
                      period_end: date) -> dict[str, Any]:
        """Return the Gini of hours given and the top 10% givers' share in the period.

        Over every eligible member, those who gave nothing included; a member whose
        net hours are negative (a reversal) counts as 0.
        """
        activity = self.activity(circle_id, period_start, period_end)
        return self._concentration([max(a.give_hours, Decimal(0)) for a in activity])

    def members_during(self, circle_id: UUID | str | None, period_start: date,
                       period_end: date) -> list[UUID]:
        """Return the ids of the members of a circle (or the network) during a period."""
        lo, hi = _period(period_start, period_end)
        with self._read() as tx:
            scope, _, _ = self._scope(tx, circle_id)
            return [UUID(m) for m in sorted(self._eligible(tx, scope, lo, hi))]

    # -- parts --------------------------------------------------------------------------------------
    def _scope(self, tx: Tx, circle_id: UUID | str | None) -> tuple[str, list[str] | None, str]:
        """Return (scope, the circles it covers or None for the network, its name)."""
        if circle_id is None:
            return NETWORK, None, "the network"
        key = str(_uuid_or_404(circle_id, "circle"))
        circles = tx.fetchall("SELECT circle_id, name, ancestry FROM {circles}")
        name = next((n for c, n, _ in circles if c == key), None)
        if name is None:
            raise NotFound(f"no circle with id '{circle_id}'")
        return key, sorted(c for c, _, ancestry in circles if key in ancestry.split()), name

    def _member(self, tx: Tx, member_id: UUID | str) -> dict[str, str]:
        key = str(_uuid_or_404(member_id, "member"))
        rows = tx.fetchall("SELECT member_id, name FROM {members} WHERE member_id = ?", (key,))
        if not rows:
            raise NotFound(f"no member with id '{member_id}'")
        return {"id": rows[0][0], "name": rows[0][1]}

    def _names(self, tx: Tx, member_ids: Iterable[str]) -> dict[str, str]:
        return dict(tx.fetch_in("SELECT member_id, name FROM {members} "  # type: ignore[arg-type]
                                "WHERE member_id IN ({keys})", sorted(member_ids)))

    def _eligible(self, tx: Tx, scope: str, lo: int | None, hi: int | None) -> set[str]:
        """Return members of ``scope`` at any time in [lo, hi) not gone before ``lo``."""
        after = "(left_at IS NULL OR left_at >= ?)" if lo is not None else "1 = 1"
        before = "joined_at < ?" if hi is not None else "1 = 1"
        bounds = [b for b in (hi, lo) if b is not None]
        if scope == NETWORK:
            rows = tx.fetchall(f"SELECT member_id FROM {{members}} WHERE {before} AND {after}",
                               bounds)
            return {r[0] for r in rows} - self._away(tx, lo, hi)
        where, params = ["circle_id = ?"], [scope]
        if hi is not None:
            where.append("admitted_at < ?")
            params.append(hi)
        if lo is not None:
            where.append("(departed_at IS NULL OR departed_at >= ?)")
            params.append(lo)
        admitted = {r[0] for r in tx.fetchall(
            f"SELECT member_id FROM {{circle_members}} WHERE {' AND '.join(where)}", params)}
        if lo is None:
            return admitted
        gone = {r[0] for r in tx.fetch_in(
            "SELECT member_id FROM {members} WHERE left_at < ? AND member_id IN ({keys})",
            sorted(admitted), (lo,))}
        return admitted - gone - self._away(tx, lo, hi)

    def _away(self, tx: Tx, lo: int | None, hi: int | None) -> set[str]:
        """Return members who came back at some time but were away for all of [lo, hi).

        Only members who came back have stints in the network (rows of scope NETWORK
        in circle_members); for the others joined_at and left_at say it all. With no
        ``lo`` everyone who joined before ``hi`` counts, away or not.
        """
        if lo is None:
            return set()
        present: dict[str, bool] = {}
        for member_id, start, end in tx.fetchall(
                "SELECT member_id, admitted_at, departed_at FROM {circle_members} "
                "WHERE circle_id = ?", (NETWORK,)):
            overlaps = (hi is None or start < hi) and (end is None or end >= lo)
            present[member_id] = present.get(member_id, False) or overlaps
        return {m for m, here in present.items() if not here}

    def _dispute_rows(self, tx: Tx, hi: int | None, member: str | None = None,
                      subtree: list[str] | None = None) -> list[tuple[Any, ...]]:
        """Return disputes open at ``hi`` (now when None), oldest first."""
        where, params = ["closed_at IS NULL"], []
        if hi is not None:
            where = ["at < ?", "(closed_at IS NULL OR closed_at >= ?)"]
            params = [hi, hi]
        if member is not None:
            where.append("member_id = ?")
            params.append(member)
        if subtree is not None:
            where.append(f"circle_id IN ({','.join('?' * len(subtree))})")
            params += subtree
        return tx.fetchall(
            "SELECT position, at, side, give_id, counterparty_id, circle_id, hours_c, member_id "
            f"FROM {{disputes}} WHERE {' AND '.join(where)} ORDER BY position, member_id",
            params)

    def _disputed(self, tx: Tx, subtree: list[str] | None, hi: int | None,
                  member: str | None = None) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for row in self._dispute_rows(tx, hi, member, subtree):
            side, hours, member_id = row[2], row[6], row[7]
            sides = out.setdefault(member_id, {})
            sides[side] = sides.get(side, 0) + hours
        return out

    @staticmethod
    def _concentration(values: list[Decimal]) -> dict[str, Any]:
        return {"gini": gini(values), "top_10_share": top_share(values, TOP_FRACTION),
                "members": len(values)}


def _months(per_month: dict[tuple[str, int], Sums]) -> dict[str, list[dict[str, Any]]]:
    """Return each member's figures month by month, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for (member_id, month), sums in sorted(per_month.items(), key=lambda kv: kv[0][1]):
        out.setdefault(member_id, []).append({"month": month_label(month), **sums.figures()})
    return out


def _disputed_figures(sides: dict[str, int] | None) -> dict[str, Decimal]:
    sides = sides or {}
    return {"given": hours_of(sides.get("given", 0)),
            "received": hours_of(sides.get("received", 0))}


def _period(start: date, end: date) -> tuple[int, int]:
    if end < start:
        raise InvalidValue(f"the period ends ({end}) before it starts ({start})")
    return day_start(start), day_end(end)


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


def _uuid_or_404(value: UUID | str, what: str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value).strip())
    except ValueError:
        raise NotFound(f"no {what} with id '{value}'") from None
