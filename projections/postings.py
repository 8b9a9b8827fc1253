"""The board: offers and asks with their status and tags, and the gives answering them.

An offer is open or withdrawn; an ask is open, withdrawn or fulfilled. A give
recorded answering an ask or an offer is kept beside it with its own status, so an
ask's page shows who offered help and what came of it.
"""

from __future__ import annotations

from typing import Any

from domain.ask import Ask
from domain.give import Give
from domain.offer import Offer
from projections.base import Table, micros
from projections.ledger_tables import centi_hours
from projections.listing import ByEvent, insert, sid
from projections.store import Tx

OPEN, WITHDRAWN, FULFILLED = "open", "withdrawn", "fulfilled"

POSTINGS = Table(
    "postings",
    # tags: the posting's tags joined by commas (a tag never holds one).
    "posting_id TEXT NOT NULL, kind TEXT NOT NULL, author_id TEXT NOT NULL, "
    "title TEXT NOT NULL, tags TEXT NOT NULL, circle_id TEXT, status TEXT NOT NULL, "
    "posted_at BIGINT NOT NULL, posted_position BIGINT NOT NULL, closed_at BIGINT, "
    "fulfilled_by TEXT, answers BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("posting_id",),
    # Each list reads one range of an index, newest first: the board's, a member's own.
    indexes=("kind, status, posted_position", "author_id, kind, status, posted_position",
             "circle_id"),
)
POSTING_TAGS = Table(
    "posting_tags",
    "posting_id TEXT NOT NULL, tag TEXT NOT NULL, kind TEXT NOT NULL, "
    "posted_position BIGINT NOT NULL",
    key=("posting_id", "tag"),
    indexes=("tag, kind, posted_position",),
)
TAG_COUNTS = Table(
    "posting_tag_counts",
    # How many open postings of a kind carry a tag: the filter's choices, read
    # without counting the whole board.
    "kind TEXT NOT NULL, tag TEXT NOT NULL, open_count BIGINT NOT NULL, "
    "position BIGINT NOT NULL",
    key=("kind", "tag"),
    in_key_order=True,
)
ANSWERS = Table(
    "posting_answers",
    # A give recorded answering an ask or an offer (status as the give's).
    "give_id TEXT NOT NULL, posting_id TEXT NOT NULL, giver_id TEXT NOT NULL, "
    "receiver_id TEXT NOT NULL, hours_c BIGINT NOT NULL, status TEXT NOT NULL, "
    "recorded_at BIGINT NOT NULL, recorded_position BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("give_id",),
    indexes=("posting_id, recorded_position",),
)

_POSTING_COLS = ("posting_id", "kind", "author_id", "title", "tags", "circle_id", "status",
                 "posted_at", "posted_position", "closed_at", "fulfilled_by", "answers",
                 "position")
_ANSWER_COLS = ("give_id", "posting_id", "giver_id", "receiver_id", "hours_c", "status",
                "recorded_at", "recorded_position", "position")


class PostingsProjection(ByEvent):
    name = "postings"
    version = 1
    tables = (POSTINGS, POSTING_TAGS, TAG_COUNTS, ANSWERS)
    events = (Offer.Posted, Offer.Updated, Offer.Withdrawn,
              Ask.Posted, Ask.Updated, Ask.Withdrawn, Ask.Fulfilled,
              Give.Recorded, Give.Confirmed, Give.Disputed, Give.Reversed)

    # -- offers and asks ------------------------------------------------------------
    def _posted(self, tx: Tx, pos: int, e: Any, kind: str) -> None:
        posting_id = sid(e.originator_id)
        tx.execute(insert(POSTINGS, _POSTING_COLS), (
            posting_id, kind, sid(e.author), e.title, ",".join(e.tags), sid(e.circle_id), OPEN,
            micros(e.timestamp), pos, None, None, 0, pos))
        self._tags(tx, posting_id, kind, e.tags, pos)
        self._count(tx, kind, e.tags, 1, pos)

    def _tags(self, tx: Tx, posting_id: str | None, kind: str, tags: list[str],
              posted_position: int) -> None:
        tx.executemany(insert(POSTING_TAGS, ("posting_id", "tag", "kind", "posted_position")),
                       [(posting_id, tag, kind, posted_position) for tag in tags])

    def _count(self, tx: Tx, kind: str, tags: list[str], change: int, pos: int) -> None:
        tx.executemany(
            "INSERT INTO {posting_tag_counts} (kind, tag, open_count, position) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (kind, tag) DO UPDATE SET "
            "open_count = {posting_tag_counts}.open_count + excluded.open_count, "
            "position = excluded.position",
            [(kind, tag, change, pos) for tag in sorted(tags)])

    def _row(self, tx: Tx, posting_id: str | None) -> tuple[str, int, str, list[str]]:
        """Return the posting's kind, posted position, status and tags."""
        kind, posted_position, status, tags = tx.fetchall(
            "SELECT kind, posted_position, status, tags FROM {postings} WHERE posting_id = ?",
            (posting_id,))[0]
        return kind, posted_position, status, tags.split(",") if tags else []

    def _updated(self, tx: Tx, pos: int, e: Any) -> None:
        posting_id = sid(e.originator_id)
        kind, posted_position, status, old_tags = self._row(tx, posting_id)
        tx.execute("UPDATE {postings} SET title = ?, tags = ?, position = ? WHERE posting_id = ?",
                   (e.title, ",".join(e.tags), pos, posting_id))
        tx.execute("DELETE FROM {posting_tags} WHERE posting_id = ?", (posting_id,))
        self._tags(tx, posting_id, kind, e.tags, posted_position)
        if status == OPEN:
            self._count(tx, kind, old_tags, -1, pos)
            self._count(tx, kind, e.tags, 1, pos)

    def _close(self, tx: Tx, pos: int, e: Any, status: str, fulfilled_by: str | None = None,
               ) -> None:
        posting_id = sid(e.originator_id)
        kind, _, was, tags = self._row(tx, posting_id)
        tx.execute("UPDATE {postings} SET status = ?, closed_at = ?, fulfilled_by = ?, "
                   "position = ? WHERE posting_id = ?",
                   (status, micros(e.timestamp), fulfilled_by, pos, posting_id))
        if was == OPEN:
            self._count(tx, kind, tags, -1, pos)

    def _Offer_Posted(self, tx: Tx, pos: int, e: Any) -> None:
        self._posted(tx, pos, e, "offer")

    def _Ask_Posted(self, tx: Tx, pos: int, e: Any) -> None:
        self._posted(tx, pos, e, "ask")

    def _Offer_Updated(self, tx: Tx, pos: int, e: Any) -> None:
        self._updated(tx, pos, e)

    def _Ask_Updated(self, tx: Tx, pos: int, e: Any) -> None:
        self._updated(tx, pos, e)

    def _Offer_Withdrawn(self, tx: Tx, pos: int, e: Any) -> None:
        self._close(tx, pos, e, WITHDRAWN)

    def _Ask_Withdrawn(self, tx: Tx, pos: int, e: Any) -> None:
        self._close(tx, pos, e, WITHDRAWN)

    def _Ask_Fulfilled(self, tx: Tx, pos: int, e: Any) -> None:
        self._close(tx, pos, e, FULFILLED, sid(e.give_id))

    # -- gives answering them -------------------------------------------------------
    def _Give_Recorded(self, tx: Tx, pos: int, e: Any) -> None:
        posting_id = sid(e.ask_id or e.offer_id)
        if posting_id is None:
            return  # a spontaneous give answers nothing on the board
        tx.execute(insert(ANSWERS, _ANSWER_COLS), (
            sid(e.originator_id), posting_id, sid(e.giver), sid(e.receiver),
            centi_hours(e.hours), "pending", micros(e.timestamp), pos, pos))
        tx.execute("UPDATE {postings} SET answers = answers + 1, position = ? "
                   "WHERE posting_id = ?", (pos, posting_id))

    def _settled(self, tx: Tx, pos: int, e: Any, status: str) -> None:
        # Gives that answer nothing have no row: the update then changes nothing.
        tx.execute("UPDATE {posting_answers} SET status = ?, position = ? WHERE give_id = ?",
                   (status, pos, sid(e.originator_id)))

    def _Give_Confirmed(self, tx: Tx, pos: int, e: Any) -> None:
        self._settled(tx, pos, e, "confirmed")

    def _Give_Disputed(self, tx: Tx, pos: int, e: Any) -> None:
        self._settled(tx, pos, e, "disputed")

    def _Give_Reversed(self, tx: Tx, pos: int, e: Any) -> None:
        self._settled(tx, pos, e, "reversed")
