"""Reading a member's activity: gives and referrals (waiting for them, or all), and news."""

from __future__ import annotations

from heapq import merge
from itertools import islice
from typing import Any

from projections.directory import circle_names, circles_of, names
from projections.ledger_tables import hours_of, money_of, time_of
from projections.listing import NETWORK, Page, Paging, Reader, parse_id, placeholders, uuid_of
from projections.board import POSTING_COLUMNS, postings_of
from projections.store import Tx

WAITING_GIVE = ("pending", "disputed")
WAITING_REFERRAL = ("(role = 'received' AND (status IN ('made', 'accepted') OR "
                    "(status IN ('business_closed', 'lost') AND thanked = 0)))")
GIVE_ROLES = ("given", "received")
REFERRAL_ROLES = ("made", "received")


class Activity(Reader):
    """A member's gives, referrals and news, as lists."""

    # -- gives ------------------------------------------------------------------------
    def gives(self, member_id: Any, paging: Paging, *, role: str | None = None,
              status: str | None = None, waiting: bool = False) -> Page[dict[str, Any]]:
        """Return a page of a member's gives, newest first.

        ``waiting``: only those the member received and has yet to confirm (pending
        or disputed).
        """
        with self._read() as tx:
            return _gives(tx, parse_id(member_id, "member"), paging, role, status, waiting)

    # -- referrals ----------------------------------------------------------------------
    def referrals(self, member_id: Any, paging: Paging, *, role: str | None = None,
                  status: str | None = None, waiting: bool = False,
                  latest_change: bool = False) -> Page[dict[str, Any]]:
        """Return a page of a member's referrals, newest first (or last changed first).

        ``waiting``: those the member received and has something to do about
        (answer, record the outcome, or thank the referrer).
        """
        with self._read() as tx:
            return _referrals(tx, parse_id(member_id, "member"), paging, role, status,
                              waiting, latest_change)

    # -- news -------------------------------------------------------------------------------
    def feed(self, member_id: Any, paging: Paging) -> Page[dict[str, Any]]:
        """Return what happened lately in the network and in the member's circles."""
        with self._read() as tx:
            return _feed(tx, parse_id(member_id, "member"), paging)

    # -- all a dashboard shows, in one read --------------------------------------------------
    def dashboard(self, member_id: Any, *, shown: int = 5, news: int = 8) -> dict[str, Any]:
        """Return the first few of each list on a member's dashboard."""
        key = parse_id(member_id, "member")
        first = Paging(1, shown)
        with self._read() as tx:
            return {
                "gives_waiting": _gives(tx, key, first, None, None, True),
                "referrals_waiting": _referrals(tx, key, first, None, None, True, False),
                "referral_outcomes": _referrals(tx, key, Paging(1, 3), "made", None, False,
                                                True),
                "open_asks": _own_postings(tx, key, "ask", first),
                "open_offers": _own_postings(tx, key, "offer", first),
                "news": _feed(tx, key, Paging(1, news)),
            }


def _gives(tx: Tx, member: str, paging: Paging, role: str | None, status: str | None,
           waiting: bool) -> Page[dict[str, Any]]:
    where, params = ["member_id = ?"], [member]
    if waiting:
        where.append(f"role = 'received' AND status IN ({placeholders(WAITING_GIVE)})")
        params += WAITING_GIVE
    if role is not None:
        where.append("role = ?")
        params.append(role)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    rows = tx.fetchall(
        "SELECT give_id, role, counterparty_id, hours_c, description, status, circle_id, "
        f"recorded_at FROM {{activity_gives}} WHERE {' AND '.join(where)} "
        "ORDER BY recorded_position DESC LIMIT ? OFFSET ?",
        [*params, paging.limit, paging.offset])
    page = paging.page(rows)
    who = names(tx, [r[2] for r in page.items])
    circles = circle_names(tx, [r[6] for r in page.items])
    return Page([{
        "id": uuid_of(g), "role": role_, "hours": hours_of(h), "description": what,
        "status": status_, "at": time_of(at),
        "counterparty": {"id": uuid_of(other), "name": who.get(other, "")},
        "circle": {"id": uuid_of(c), "name": circles.get(c, "")} if c else None,
    } for g, role_, other, h, what, status_, c, at in page.items],
        page.number, page.size, page.has_next)


def _referrals(tx: Tx, member: str, paging: Paging, role: str | None, status: str | None,
               waiting: bool, latest_change: bool) -> Page[dict[str, Any]]:
    where, params = ["member_id = ?"], [member]
    if waiting:
        where.append(WAITING_REFERRAL)
    if role is not None:
        where.append("role = ?")
        params.append(role)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    order = "position DESC" if latest_change else "made_position DESC"
    rows = tx.fetchall(
        "SELECT referral_id, role, counterparty_id, prospect, warmth, status, thanked, "
        "circle_id, currency, amount_minor, made_at, changed_at "
        f"FROM {{activity_referrals}} WHERE {' AND '.join(where)} "
        f"ORDER BY {order} LIMIT ? OFFSET ?", [*params, paging.limit, paging.offset])
    page = paging.page(rows)
    who = names(tx, [r[2] for r in page.items])
    return Page([{
        "id": uuid_of(r), "role": role_, "prospect": prospect, "warmth": warmth,
        "status": status_, "thanked": bool(thanked), "made_at": time_of(made),
        "changed_at": time_of(changed),
        "counterparty": {"id": uuid_of(other), "name": who.get(other, "")},
        "circle_id": uuid_of(circle),
        "value": money_of(amount, currency) if currency else None, "currency": currency,
    } for r, role_, other, prospect, warmth, status_, thanked, circle, currency, amount,
        made, changed in page.items],
        page.number, page.size, page.has_next)


def _own_postings(tx: Tx, member: str, kind: str, paging: Paging) -> Page[dict[str, Any]]:
    rows = tx.fetchall(
        f"SELECT {POSTING_COLUMNS} FROM {{postings}} p WHERE p.author_id = ? AND p.kind = ? "
        "AND p.status = 'open' ORDER BY p.posted_position DESC LIMIT ? OFFSET ?",
        (member, kind, paging.limit, paging.offset))
    page = paging.page(rows)
    return Page(postings_of(tx, page.items), page.number, page.size, page.has_next)


def _feed(tx: Tx, member: str, paging: Paging) -> Page[dict[str, Any]]:
    # One ordered range of the (scope, position) index per scope, merged here: a
    # single query over several scopes would sort every row they hold.
    wanted = paging.offset + paging.limit
    ranges = [tx.fetchall(
        "SELECT position, at, kind, actor_id, other_id, subject_id, title, hours_c, "
        "circle_id FROM {activity_feed} WHERE scope = ? ORDER BY position DESC LIMIT ?",
        (scope, wanted)) for scope in [NETWORK, *circles_of(tx, member)]]
    newest = list(islice(merge(*ranges, key=lambda r: r[0], reverse=True), wanted))
    page = paging.page(newest[paging.offset:])
    return Page(_news(tx, page.items), page.number, page.size, page.has_next)


def _news(tx: Tx, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    who = names(tx, [r[3] for r in rows] + [r[4] for r in rows])
    circles = circle_names(tx, [r[8] for r in rows] + [r[5] for r in rows
                                                       if r[2].startswith("circle.")])
    return [{
        "position": position, "at": time_of(at), "kind": kind,
        "actor": {"id": uuid_of(actor), "name": who.get(actor, "")} if actor else None,
        "other": {"id": uuid_of(other), "name": who.get(other, "")} if other else None,
        "subject_id": uuid_of(subject), "title": title,
        "subject_name": circles.get(subject, "") if kind.startswith("circle.") else title,
        "hours": hours_of(hours) if hours is not None else None,
        "circle": {"id": uuid_of(circle), "name": circles.get(circle, "")} if circle else None,
    } for position, at, kind, actor, other, subject, title, hours, circle in rows]
