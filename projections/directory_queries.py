"""Reading the directory: members with their circles and offers, circles with theirs.

Results are plain values (dicts, UUIDs, datetimes, pages of them).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import NotFound
from projections.directory import circle_names, circles_of, folded, names
from projections.ledger_tables import time_of
from projections.listing import Page, Paging, Reader, like_pattern, parse_id, placeholders, uuid_of
from projections.store import Tx

# What a member's card shows of their open offers.
OFFERS_SHOWN = 5


class Directory(Reader):
    """Members and circles, for the directory pages and for other lists' filters."""

    # -- members --------------------------------------------------------------------
    def members(self, paging: Paging, *, circle_id: str | None = None, search: str = "",
                viewer: str | None = None) -> Page[dict[str, Any]]:
        """Return a page of the current members, by name, with their circles and offers.

        ``search`` matches names and businesses; ``viewer`` decides which circle-only
        offers are shown.
        """
        where, params = ["m.left_at IS NULL"], []
        join = ""
        if circle_id is not None:
            join = ("JOIN {directory_memberships} c ON c.member_id = m.member_id "
                    "AND c.circle_id = ? AND c.departed_position IS NULL ")
            params.append(parse_id(circle_id, "circle"))
        if search.strip():
            where.append("m.search LIKE ? ESCAPE '\\'")
            params.append(like_pattern(folded(search)))
        with self._read() as tx:
            if circle_id is not None:
                self._circle_row(tx, params[0])
            rows = tx.fetchall(
                "SELECT m.member_id, m.name, m.business, m.steward, m.joined_at "
                f"FROM {{directory_members}} m {join}WHERE {' AND '.join(where)} "
                "ORDER BY m.sort_name, m.member_id LIMIT ? OFFSET ?",
                [*params, paging.limit, paging.offset])
            page = paging.page(rows)
            ids = [r[0] for r in page.items]
            circles = self._circles_of_members(tx, ids)
            offers = self._offers_of_members(tx, ids, viewer)
            return Page([{
                "id": uuid_of(m), "name": name, "business": business, "steward": bool(steward),
                "joined_at": time_of(joined), "circles": circles.get(m, []),
                "offers": offers.get(m, []),
            } for m, name, business, steward, joined in page.items],
                page.number, page.size, page.has_next)

    def member(self, member_id: Any, viewer: str | None = None) -> dict[str, Any]:
        """Return one member's directory card: circles, and open offers the viewer may see."""
        key = parse_id(member_id, "member")
        with self._read() as tx:
            rows = tx.fetchall("SELECT member_id, name, business, steward, joined_at, left_at "
                               "FROM {directory_members} WHERE member_id = ?", (key,))
            if not rows:
                raise NotFound(f"no member with id '{member_id}'")
            m, name, business, steward, joined, left = rows[0]
            return {
                "id": uuid_of(m), "name": name, "business": business, "steward": bool(steward),
                "joined_at": time_of(joined), "left_at": time_of(left) if left else None,
                "circles": self._circles_of_members(tx, [m]).get(m, []),
                "offers": self._offers_of_members(tx, [m], viewer).get(m, []),
            }

    def names(self, member_ids: list[Any]) -> dict[UUID, str]:
        """Return members' names by id (those the directory knows)."""
        with self._read() as tx:
            return {UUID(k): v for k, v in names(tx, [str(m) for m in member_ids]).items()}

    def circle_ids_of(self, member_id: Any) -> list[str]:
        """Return the ids (as text) of the circles a member is in now."""
        with self._read() as tx:
            return circles_of(tx, parse_id(member_id, "member"))

    def _circles_of_members(self, tx: Tx, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for member_id, circle_id, name in sorted(tx.fetch_in(
                "SELECT s.member_id, c.circle_id, c.name FROM {directory_memberships} s "
                "JOIN {directory_circles} c ON c.circle_id = s.circle_id "
                "WHERE s.departed_position IS NULL AND s.member_id IN ({keys})", ids),
                key=lambda r: (r[0], r[2].casefold(), r[1])):
            out.setdefault(member_id, []).append({"id": uuid_of(circle_id), "name": name})
        return out

    def _offers_of_members(self, tx: Tx, ids: list[str],
                           viewer: str | None) -> dict[str, list[dict[str, Any]]]:
        """Return each member's newest open offers (that ``viewer`` may see)."""
        visible, params = "p.circle_id IS NULL", []
        if viewer is not None:
            mine = circles_of(tx, viewer)
            if mine:
                visible = f"(p.circle_id IS NULL OR p.circle_id IN ({placeholders(mine)}))"
                params = mine
        out: dict[str, list[dict[str, Any]]] = {}
        for author, posting_id, title, tags in tx.fetch_in(
                "SELECT p.author_id, p.posting_id, p.title, p.tags FROM {postings} p "
                f"WHERE p.kind = 'offer' AND p.status = 'open' AND {visible} "
                "AND p.author_id IN ({keys}) ORDER BY p.posted_position DESC", ids, params):
            shown = out.setdefault(author, [])
            if len(shown) < OFFERS_SHOWN:
                shown.append({"id": uuid_of(posting_id), "title": title,
                              "tags": tags.split(",") if tags else []})
        return out

    # -- circles --------------------------------------------------------------------
    def circles(self, paging: Paging) -> Page[dict[str, Any]]:
        """Return a page of the circles, by name, each with its parent and member count."""
        with self._read() as tx:
            rows = tx.fetchall(
                "SELECT circle_id, name, purpose, parent_id, members FROM {directory_circles} "
                "ORDER BY sort_name, circle_id LIMIT ? OFFSET ?", (paging.limit, paging.offset))
            page = paging.page(rows)
            parents = circle_names(tx, [r[3] for r in page.items])
            return Page([{
                "id": uuid_of(c), "name": name, "purpose": purpose,
                "parent": {"id": uuid_of(parent), "name": parents.get(parent, "")}
                if parent else None,
                "members": count,
            } for c, name, purpose, parent, count in page.items],
                page.number, page.size, page.has_next)

    def circle_choices(self) -> list[dict[str, Any]]:
        """Return every circle's id and name, by name (for filters and forms)."""
        with self._read() as tx:
            return [{"id": uuid_of(c), "name": n} for c, n in tx.fetchall(
                "SELECT circle_id, name FROM {directory_circles} ORDER BY sort_name, circle_id")]

    def circle(self, circle_id: Any) -> dict[str, Any]:
        """Return a circle: purpose, parent, the circles under it and its mandates."""
        key = parse_id(circle_id, "circle")
        with self._read() as tx:
            c, name, purpose, parent, count, formed = self._circle_row(tx, key)
            children = tx.fetchall(
                "SELECT circle_id, name, members FROM {directory_circles} WHERE parent_id = ? "
                "ORDER BY sort_name, circle_id", (key,))
            mandates = tx.fetchall(
                "SELECT position, domain, decision, at FROM {directory_mandates} "
                "WHERE circle_id = ? ORDER BY position", (key,))
            return {
                "id": uuid_of(c), "name": name, "purpose": purpose, "members": count,
                "formed_at": time_of(formed),
                "parent": {"id": uuid_of(parent),
                           "name": circle_names(tx, [parent]).get(parent, "")} if parent else None,
                "children": [{"id": uuid_of(i), "name": n, "members": k} for i, n, k in children],
                "mandates": [{"position": p, "domain": d, "decision": why, "at": time_of(at)}
                             for p, d, why, at in mandates],
            }

    def circle_members(self, circle_id: Any, paging: Paging) -> Page[dict[str, Any]]:
        """Return a page of a circle's members now, by name."""
        key = parse_id(circle_id, "circle")
        with self._read() as tx:
            self._circle_row(tx, key)
            rows = tx.fetchall(
                "SELECT m.member_id, m.name, m.business, m.steward, m.left_at, s.admitted_at "
                "FROM {directory_memberships} s JOIN {directory_members} m "
                "ON m.member_id = s.member_id WHERE s.circle_id = ? "
                "AND s.departed_position IS NULL ORDER BY m.sort_name, m.member_id "
                "LIMIT ? OFFSET ?", (key, paging.limit, paging.offset))
            page = paging.page(rows)
            return Page([{
                "id": uuid_of(m), "name": name, "business": business, "steward": bool(steward),
                "has_left": left is not None, "admitted_at": time_of(admitted),
            } for m, name, business, steward, left, admitted in page.items],
                page.number, page.size, page.has_next)

    def _circle_row(self, tx: Tx, key: str) -> tuple[Any, ...]:
        rows = tx.fetchall("SELECT circle_id, name, purpose, parent_id, members, formed_at "
                           "FROM {directory_circles} WHERE circle_id = ?", (key,))
        if not rows:
            raise NotFound(f"no circle with id '{key}'")
        return rows[0]
