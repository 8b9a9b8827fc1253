"""Reading the board: browse offers and asks, a member's own, and answers to one.

A posting made in a circle is shown only to that circle's members (and its author).
"""

from __future__ import annotations

from typing import Any

from projections.directory import circle_names, circles_of, names
from projections.ledger_tables import hours_of, time_of
from projections.listing import Page, Paging, Reader, parse_id, placeholders, uuid_of
from projections.postings import FULFILLED, OPEN, WITHDRAWN
from projections.store import Tx

KINDS = ("offer", "ask")
STATUSES = {"offer": (OPEN, WITHDRAWN), "ask": (OPEN, FULFILLED, WITHDRAWN)}
ANY = "any"
TAGS_SHOWN = 30
POSTING_COLUMNS = ("p.posting_id, p.kind, p.author_id, p.title, p.tags, p.circle_id, p.status, "
                   "p.posted_at, p.answers")


class Board(Reader):
    """Offers and asks as lists."""

    def browse(self, kind: str, paging: Paging, *, viewer: str, circle_id: str | None = None,
               tag: str | None = None, status: str = OPEN,
               author_id: str | None = None) -> Page[dict[str, Any]]:
        """Return a page of offers or asks, newest first, that ``viewer`` may see.

        ``status`` is one of the kind's statuses or ``any``; ``tag`` and
        ``circle_id`` narrow the list to postings carrying that tag or made in that
        circle, ``author_id`` to one member's.
        """
        if kind not in KINDS:
            raise ValueError(f"no such kind of posting: {kind}")  # a programming error
        viewer = parse_id(viewer, "member")
        where, params = [], []
        if tag:
            source = ("{posting_tags} t JOIN {postings} p ON p.posting_id = t.posting_id")
            where += ["t.tag = ?", "t.kind = ?"]
            params += [tag, kind]
            order = "t.posted_position DESC"
        else:
            source = "{postings} p"
            where.append("p.kind = ?")
            params.append(kind)
            order = "p.posted_position DESC"
        if status != ANY:
            where.append("p.status = ?")
            params.append(status)
        if author_id is not None:
            where.append("p.author_id = ?")
            params.append(parse_id(author_id, "member"))
        if circle_id is not None:
            where.append("p.circle_id = ?")
            params.append(parse_id(circle_id, "circle"))
        with self._read() as tx:
            visible, shown_to = _visible(tx, viewer)
            rows = tx.fetchall(
                f"SELECT {POSTING_COLUMNS} FROM {source} WHERE {' AND '.join([*where, visible])} "
                f"ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, *shown_to, paging.limit, paging.offset])
            page = paging.page(rows)
            return Page(postings_of(tx, page.items), page.number, page.size, page.has_next)

    def tags(self, kind: str) -> list[dict[str, Any]]:
        """Return the tags most open postings of ``kind`` carry, with how many."""
        with self._read() as tx:
            return [{"tag": t, "count": n} for t, n in tx.fetchall(
                "SELECT tag, open_count FROM {posting_tag_counts} WHERE kind = ? "
                "AND open_count > 0 ORDER BY open_count DESC, tag LIMIT ?", (kind, TAGS_SHOWN))]

    def answers(self, posting_id: Any, paging: Paging) -> Page[dict[str, Any]]:
        """Return the gives recorded answering an offer or an ask, oldest first."""
        key = parse_id(posting_id, "posting")
        with self._read() as tx:
            rows = tx.fetchall(
                "SELECT give_id, giver_id, receiver_id, hours_c, status, recorded_at "
                "FROM {posting_answers} WHERE posting_id = ? ORDER BY recorded_position "
                "LIMIT ? OFFSET ?", (key, paging.limit, paging.offset))
            page = paging.page(rows)
            who = names(tx, [r[1] for r in page.items] + [r[2] for r in page.items])
            return Page([{
                "give_id": uuid_of(g), "hours": hours_of(h), "status": status,
                "at": time_of(at),
                "giver": {"id": uuid_of(giver), "name": who.get(giver, "")},
                "receiver": {"id": uuid_of(receiver), "name": who.get(receiver, "")},
            } for g, giver, receiver, h, status, at in page.items],
                page.number, page.size, page.has_next)


def _visible(tx: Tx, viewer: str) -> tuple[str, list[str]]:
    """Return the SQL condition (and its parameters) for postings ``viewer`` may see."""
    mine = circles_of(tx, viewer)
    circles = f" OR p.circle_id IN ({placeholders(mine)})" if mine else ""
    return f"(p.circle_id IS NULL OR p.author_id = ?{circles})", [viewer, *mine]


def postings_of(tx: Tx, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Return postings as plain values from rows of ``POSTING_COLUMNS``."""
    who = names(tx, [r[2] for r in rows])
    where = circle_names(tx, [r[5] for r in rows])
    return [{
        "id": uuid_of(p), "kind": kind, "title": title,
        "tags": tags.split(",") if tags else [],
        "author": {"id": uuid_of(author), "name": who.get(author, "")},
        "circle": {"id": uuid_of(circle), "name": where.get(circle, "")} if circle else None,
        "status": status, "posted_at": time_of(at), "answers": answers,
    } for p, kind, author, title, tags, circle, status, at, answers in rows]
