"""The directory: who the members are, which circles there are and who is in them.

Read by the member and circle pages, and by every other list for names and for
which circles a member belongs to (what they may see).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.circle import Circle
from domain.member import STEWARD, Member
from projections.base import Table, micros
from projections.listing import ByEvent, insert, sid
from projections.store import Tx

MEMBERS = Table(
    "directory_members",
    # sort_name and search are case-folded in Python, so both databases order and
    # match them the same way.
    "member_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL, "
    "sort_name TEXT NOT NULL, search TEXT NOT NULL, business TEXT NOT NULL, "
    "steward INTEGER NOT NULL, joined_at BIGINT NOT NULL, joined_position BIGINT NOT NULL, "
    "left_at BIGINT, left_position BIGINT, position BIGINT NOT NULL",
    key=("member_id",),
    indexes=("sort_name",),
)
CIRCLES = Table(
    "directory_circles",
    "circle_id TEXT NOT NULL, name TEXT NOT NULL, sort_name TEXT NOT NULL, "
    "purpose TEXT NOT NULL, parent_id TEXT, members BIGINT NOT NULL, "
    "formed_at BIGINT NOT NULL, formed_position BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("circle_id",),
)
MEMBERSHIPS = Table(
    "directory_memberships",
    "circle_id TEXT NOT NULL, member_id TEXT NOT NULL, "
    "admitted_at BIGINT NOT NULL, admitted_position BIGINT NOT NULL, "
    "departed_at BIGINT, departed_position BIGINT",
    key=("circle_id", "member_id", "admitted_position"),
    indexes=("member_id",),
)
MANDATES = Table(
    "directory_mandates",
    "circle_id TEXT NOT NULL, position BIGINT NOT NULL, domain TEXT NOT NULL, "
    "decision TEXT NOT NULL, at BIGINT NOT NULL",
    key=("circle_id", "position"),
)

_MEMBER_COLS = ("member_id", "email", "name", "sort_name", "search", "business", "steward",
                "joined_at", "joined_position", "left_at", "left_position", "position")


def folded(*texts: str) -> str:
    """Return text as it is compared: case-folded, spaces squeezed."""
    return " ".join(" ".join(texts).casefold().split())


class DirectoryProjection(ByEvent):
    name = "directory"
    version = 1
    tables = (MEMBERS, CIRCLES, MEMBERSHIPS, MANDATES)
    events = (Member.Joined, Member.ProfileUpdated, Member.RoleGranted, Member.RoleRevoked,
              Member.Left, Member.Rejoined, Circle.Formed, Circle.MemberAdmitted, Circle.MemberDeparted,
              Circle.MandateGranted)

    # -- members --------------------------------------------------------------------
    def _Member_Joined(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute(insert(MEMBERS, _MEMBER_COLS), (
            sid(e.originator_id), e.email, e.name, folded(e.name), folded(e.name, e.business),
            e.business, 0, micros(e.timestamp), pos, None, None, pos))

    def _Member_ProfileUpdated(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute("UPDATE {directory_members} SET name = ?, sort_name = ?, search = ?, "
                   "business = ?, position = ? WHERE member_id = ?",
                   (e.name, folded(e.name), folded(e.name, e.business), e.business, pos,
                    sid(e.originator_id)))

    def _role(self, tx: Tx, pos: int, e: Any, steward: int) -> None:
        if e.role == STEWARD:
            tx.execute("UPDATE {directory_members} SET steward = ?, position = ? "
                       "WHERE member_id = ?", (steward, pos, sid(e.originator_id)))

    def _Member_RoleGranted(self, tx: Tx, pos: int, e: Any) -> None:
        self._role(tx, pos, e, 1)

    def _Member_RoleRevoked(self, tx: Tx, pos: int, e: Any) -> None:
        self._role(tx, pos, e, 0)

    def _Member_Left(self, tx: Tx, pos: int, e: Any) -> None:
        # Leaving ends every role (as on the aggregate).
        tx.execute("UPDATE {directory_members} SET steward = 0, left_at = ?, left_position = ?, "
                   "position = ? WHERE member_id = ?",
                   (micros(e.timestamp), pos, pos, sid(e.originator_id)))

    def _Member_Rejoined(self, tx: Tx, pos: int, e: Any) -> None:
        # Listed again; no role comes back (as on the aggregate). When they left
        # and came back is the member's page's to tell, from their own events.
        tx.execute("UPDATE {directory_members} SET left_at = NULL, left_position = NULL, "
                   "position = ? WHERE member_id = ?", (pos, sid(e.originator_id)))

    # -- circles --------------------------------------------------------------------
    def _Circle_Formed(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute(insert(CIRCLES, ("circle_id", "name", "sort_name", "purpose", "parent_id",
                                    "members", "formed_at", "formed_position", "position")),
                   (sid(e.originator_id), e.name, folded(e.name), e.purpose, sid(e.parent_id),
                    0, micros(e.timestamp), pos, pos))

    def _count(self, tx: Tx, pos: int, circle_id: str | None, change: int) -> None:
        tx.execute("UPDATE {directory_circles} SET members = members + ?, position = ? "
                   "WHERE circle_id = ?", (change, pos, circle_id))

    def _Circle_MemberAdmitted(self, tx: Tx, pos: int, e: Any) -> None:
        circle_id = sid(e.originator_id)
        tx.execute(insert(MEMBERSHIPS, ("circle_id", "member_id", "admitted_at",
                                        "admitted_position", "departed_at", "departed_position")),
                   (circle_id, sid(e.member_id), micros(e.timestamp), pos, None, None))
        self._count(tx, pos, circle_id, 1)

    def _Circle_MemberDeparted(self, tx: Tx, pos: int, e: Any) -> None:
        circle_id = sid(e.originator_id)
        tx.execute("UPDATE {directory_memberships} SET departed_at = ?, departed_position = ? "
                   "WHERE circle_id = ? AND member_id = ? AND departed_position IS NULL",
                   (micros(e.timestamp), pos, circle_id, sid(e.member_id)))
        self._count(tx, pos, circle_id, -1)

    def _Circle_MandateGranted(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute(insert(MANDATES, ("circle_id", "position", "domain", "decision", "at")),
                   (sid(e.originator_id), pos, e.domain, e.decision, micros(e.timestamp)))


# -- reading helpers every list uses ----------------------------------------------------
def names(tx: Tx, member_ids: Iterable[str | None]) -> dict[str, str]:
    """Return display names by member id."""
    wanted = sorted({m for m in member_ids if m})
    return dict(tx.fetch_in(  # type: ignore[arg-type]
        "SELECT member_id, name FROM {directory_members} WHERE member_id IN ({keys})", wanted))


def circle_names(tx: Tx, circle_ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({c for c in circle_ids if c})
    return dict(tx.fetch_in(  # type: ignore[arg-type]
        "SELECT circle_id, name FROM {directory_circles} WHERE circle_id IN ({keys})", wanted))


def circles_of(tx: Tx, member_id: str) -> list[str]:
    """Return the ids of the circles a member belongs to now."""
    return [r[0] for r in tx.fetchall(
        "SELECT circle_id FROM {directory_memberships} "
        "WHERE member_id = ? AND departed_position IS NULL ORDER BY circle_id", (member_id,))]
