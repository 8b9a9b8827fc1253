"""The fair-share ledger projection: who gave, who received, who referred whom.

Only confirmed gives count. A give is entered at the time it was confirmed, for
both members; a reversal of a confirmed give is a negative entry at the reversal's
time (its ``was`` says what it cancelled); a dispute is entered apart and never
counts. A give or referral made in a circle counts for that circle and every circle
above it, and always for the network.

A batch is worked out in memory (the rows it reads are fetched up front with one
query per table) and written with one statement per table, so a batch of a
thousand events costs a handful of round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from domain.circle import Circle
from domain.give import CONFIRMED, Give
from domain.member import Member
from domain.referral import Referral
from projections.base import Positioned, Projection, micros
from projections.ledger_queries import LedgerQueries
from projections.ledger_tables import NETWORK, TABLES, centi_hours, minor_units, month_of
from projections.ledger_writes import (
    GIVE_COLS, MEMBER_COLS, MEMBERSHIP_COLS, REFERRAL_COLS, SQL,
)
from projections.store import Tx

__all__ = ["LedgerProjection", "LedgerQueries"]


_CREATED = {Member.Joined, Give.Recorded, Referral.Made}
_FETCHED = {Member.ProfileUpdated, Member.Left, Member.Rejoined, Give.Confirmed, Give.Disputed, Give.Reversed,
            Referral.BusinessClosed}


class LedgerProjection(Projection):
    name = "ledger"
    version = 1
    tables = TABLES
    events = (Member.Joined, Member.ProfileUpdated, Member.Left, Member.Rejoined,
              Circle.Formed, Circle.MemberAdmitted, Circle.MemberDeparted,
              Give.Recorded, Give.Confirmed, Give.Disputed, Give.Reversed,
              Referral.Made, Referral.BusinessClosed)

    def process(self, events: Sequence[Positioned], tx: Tx) -> None:
        batch = _Batch(tx)
        batch.prefetch(events)
        for position, event in events:
            batch.handlers[type(event)](position, event)
        batch.write()


# Ids as text, remembered: members and circles recur in nearly every event, and
# str(UUID) is a large share of a batch's Python time.
_TEXT: dict[int, str] = {}


def _sid(value: Any) -> str:
    key = value.int  # an int hashes in C; a UUID hashes in Python
    text = _TEXT.get(key)
    if text is None:
        if len(_TEXT) > 100_000:
            _TEXT.clear()
        text = _TEXT[key] = str(value)
    return text


def _id(value: Any) -> str | None:
    return None if value is None else _sid(value)


class _Batch:
    """The ledger rows one batch of events touches, worked out in memory."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.members: dict[str, list[Any]] = {}
        self.new_circles: list[tuple[Any, ...]] = []
        self.ancestry: dict[str, list[str]] = {}
        self.open: dict[tuple[str, str], list[Any]] = {}  # (circle, member) -> membership
        self.memberships: dict[tuple[str, str, int], list[Any]] = {}
        # member -> their stints in the network, oldest first (only members who came back)
        self.stints: dict[str, list[list[Any]]] = {}
        self.gives: dict[str, list[Any]] = {}
        self.referrals: dict[str, list[Any]] = {}
        self.give_entries: list[tuple[Any, ...]] = []
        self.disputes: list[tuple[Any, ...]] = []
        self.closures: list[tuple[int, int, int]] = []
        self.referral_entries: list[tuple[Any, ...]] = []
        self.months: dict[tuple[str, str, int], list[int]] = {}
        self.closed: dict[tuple[str, str, int, str], list[int]] = {}
        self.handlers: dict[type, Callable[[int, Any], None]] = {
            Member.Joined: self.joined, Member.ProfileUpdated: self.profile_updated,
            Member.Left: self.left, Member.Rejoined: self.rejoined, Circle.Formed: self.formed,
            Circle.MemberAdmitted: self.admitted, Circle.MemberDeparted: self.departed,
            Give.Recorded: self.recorded, Give.Confirmed: self.confirmed,
            Give.Disputed: self.disputed, Give.Reversed: self.reversed,
            Referral.Made: self.referred, Referral.BusinessClosed: self.business_closed,
        }

    # -- reading what the batch builds on ---------------------------------------------
    def prefetch(self, events: Sequence[Positioned]) -> None:
        wanted: dict[type, list[str]] = {}
        born: set[str] = set()  # created in this batch: nothing to fetch
        for _, e in events:
            kind, oid = type(e), _sid(e.originator_id)
            if kind in _CREATED:
                born.add(oid)
            elif kind in _FETCHED:
                wanted.setdefault(kind, []).append(oid)
        for kind, ids in wanted.items():
            wanted[kind] = [i for i in ids if i not in born]
        fetch = self.tx.fetch_in
        comings_and_goings = wanted.get(Member.Left, []) + wanted.get(Member.Rejoined, [])
        for row in fetch(f"SELECT {', '.join(MEMBER_COLS)} FROM {{members}} "
                         "WHERE member_id IN ({keys})",
                         wanted.get(Member.ProfileUpdated, []) + comings_and_goings):
            self.members[row[0]] = list(row)
        for row in fetch(f"SELECT {', '.join(MEMBERSHIP_COLS)} FROM {{circle_members}} "
                         "WHERE circle_id = ? AND member_id IN ({keys})",
                         comings_and_goings, (NETWORK,)):
            self.stints.setdefault(row[1], []).append(list(row))
        for stints in self.stints.values():
            stints.sort(key=lambda stint: stint[3])
        for row in fetch(f"SELECT {', '.join(GIVE_COLS)} FROM {{gives}} WHERE give_id IN ({{keys}})",
                         [g for cls in (Give.Confirmed, Give.Disputed, Give.Reversed)
                          for g in wanted.get(cls, [])]):
            self.gives[row[0]] = list(row)
        for row in fetch(f"SELECT {', '.join(REFERRAL_COLS)} FROM {{referrals}} "
                         "WHERE referral_id IN ({keys})",
                         wanted.get(Referral.BusinessClosed, [])):
            self.referrals[row[0]] = list(row)
        departing = [_sid(e.member_id) for _, e in events if type(e) is Circle.MemberDeparted]
        for row in fetch(f"SELECT {', '.join(MEMBERSHIP_COLS)} FROM {{circle_members}} "
                         "WHERE departed_position IS NULL AND member_id IN ({keys})", departing):
            self.open[(row[0], row[1])] = list(row)
        circles = {g[3] for g in self.gives.values()} | {r[3] for r in self.referrals.values()}
        for _, e in events:
            circle = getattr(e, "parent_id" if type(e) is Circle.Formed else "circle_id", None)
            circles.add(_id(circle))
        for circle_id, ancestry in fetch("SELECT circle_id, ancestry FROM {circles} "
                                         "WHERE circle_id IN ({keys})",
                                         sorted(c for c in circles if c)):
            self.ancestry[circle_id] = ancestry.split()

    def scopes(self, circle_id: str | None) -> list[str]:
        if circle_id is None:
            return [NETWORK]
        return [NETWORK, *self.ancestry.get(circle_id, [circle_id])]

    # -- members and circles ------------------------------------------------------------
    def joined(self, pos: int, e: Any) -> None:
        member_id = _sid(e.originator_id)
        self.members[member_id] = [member_id, e.email, e.name, micros(e.timestamp), pos,
                                   None, None, pos]

    def profile_updated(self, pos: int, e: Any) -> None:
        row = self.members[_sid(e.originator_id)]
        row[2], row[7] = e.name, pos

    def left(self, pos: int, e: Any) -> None:
        member_id = _sid(e.originator_id)
        row = self.members[member_id]
        row[5], row[6], row[7] = micros(e.timestamp), pos, pos
        stints = self.stints.get(member_id)
        if stints:  # one who came back before: their current stint ends
            current = stints[-1]
            current[4], current[5] = row[5], pos
            self._stint(current)

    def rejoined(self, pos: int, e: Any) -> None:
        """Back in the network: listed as a member again, and a stint begins.

        Members who never came back have no stints (their row's joined_at and
        left_at say it all), so the rows of a log without comings-back stay as
        they always were. The first return also records the stint before it.
        """
        member_id = _sid(e.originator_id)
        row = self.members[member_id]
        stints = self.stints.setdefault(member_id, [])
        if not stints:
            stints.append(self._stint([NETWORK, member_id, row[3], row[4], row[5], row[6]]))
        stints.append(self._stint([NETWORK, member_id, micros(e.timestamp), pos, None, None]))
        row[5], row[6], row[7] = None, None, pos

    def _stint(self, stint: list[Any]) -> list[Any]:
        """Mark a network stint (a circle_members row of scope NETWORK) to be written."""
        self.memberships[(stint[0], stint[1], stint[3])] = stint
        return stint

    def formed(self, pos: int, e: Any) -> None:
        circle_id, parent = _sid(e.originator_id), _id(e.parent_id)
        ancestry = [circle_id, *(self.ancestry.get(parent, [parent]) if parent else [])]
        self.ancestry[circle_id] = ancestry
        self.new_circles.append((circle_id, e.name, parent, " ".join(ancestry),
                                 micros(e.timestamp), pos))

    def admitted(self, pos: int, e: Any) -> None:
        circle_id, member_id = _sid(e.originator_id), _sid(e.member_id)
        row = [circle_id, member_id, micros(e.timestamp), pos, None, None]
        self.open[(circle_id, member_id)] = row
        self.memberships[(circle_id, member_id, pos)] = row

    def departed(self, pos: int, e: Any) -> None:
        row = self.open.pop((_sid(e.originator_id), _sid(e.member_id)))
        row[4], row[5] = micros(e.timestamp), pos
        self.memberships[(row[0], row[1], row[3])] = row

    # -- gives ----------------------------------------------------------------------------
    def recorded(self, pos: int, e: Any) -> None:
        give_id = _sid(e.originator_id)
        self.gives[give_id] = [give_id, _sid(e.giver), _sid(e.receiver), _id(e.circle_id),
                               centi_hours(e.hours), "pending", None, pos, pos]

    def _entries(self, pos: int, e: Any, give: list[Any], kinds: tuple[str, str],
                 sign: int) -> None:
        """Enter a confirmation (``sign`` 1) or its reversal (-1) for both members."""
        give_id, giver, receiver, circle, hours = give[:5]
        at = micros(e.timestamp)
        self.give_entries += [
            (pos, giver, give_id, receiver, circle, kinds[0], hours, sign * hours, 0, at),
            (pos, receiver, give_id, giver, circle, kinds[1], hours, 0, sign * hours, at),
        ]
        month = month_of(e.timestamp)
        for scope in self.scopes(circle):
            self._month(scope, giver, month, pos)[0] += sign * hours
            self._month(scope, receiver, month, pos)[1] += sign * hours

    def _settle(self, pos: int, e: Any, status: str) -> list[Any]:
        give = self.gives[_sid(e.originator_id)]
        if give[6] is not None:  # a confirmation or reversal ends an open dispute
            self.closures.append((micros(e.timestamp), pos, give[6]))
            give[6] = None
        give[5], give[8] = status, pos
        return give

    def confirmed(self, pos: int, e: Any) -> None:
        give = self._settle(pos, e, "confirmed")
        self._entries(pos, e, give, ("given", "received"), 1)

    def disputed(self, pos: int, e: Any) -> None:
        give = self.gives[_sid(e.originator_id)]
        give[5], give[6], give[8] = "disputed", pos, pos
        give_id, giver, receiver, circle, hours = give[:5]
        at = micros(e.timestamp)
        self.disputes += [
            (pos, giver, give_id, receiver, circle, "given", hours, at, None, None),
            (pos, receiver, give_id, giver, circle, "received", hours, at, None, None),
        ]

    def reversed(self, pos: int, e: Any) -> None:
        give = self._settle(pos, e, "reversed")
        if e.was == CONFIRMED:  # only a confirmed give ever counted, so only it is netted
            self._entries(pos, e, give, ("reversal_of_given", "reversal_of_received"), -1)

    # -- referrals --------------------------------------------------------------------------
    def referred(self, pos: int, e: Any) -> None:
        referral_id, referrer, receiver = _sid(e.originator_id), _sid(e.referrer), _sid(e.receiver)
        circle, at = _id(e.circle_id), micros(e.timestamp)
        self.referrals[referral_id] = [referral_id, referrer, receiver, circle, pos, pos]
        self.referral_entries += [
            (pos, referrer, referral_id, receiver, circle, "passed", None, None, at),
            (pos, receiver, referral_id, referrer, circle, "received", None, None, at),
        ]
        month = month_of(e.timestamp)
        for scope in self.scopes(circle):
            self._month(scope, referrer, month, pos)[2] += 1
            self._month(scope, receiver, month, pos)[3] += 1

    def business_closed(self, pos: int, e: Any) -> None:
        referral = self.referrals[_sid(e.originator_id)]
        referral[5] = pos
        referral_id, referrer, receiver, circle = referral[:4]
        currency, amount = e.value.currency, minor_units(e.value.amount, e.value.currency)
        self.referral_entries.append((pos, referrer, referral_id, receiver, circle, "closed",
                                      currency, amount, micros(e.timestamp)))
        month = month_of(e.timestamp)
        for scope in self.scopes(circle):
            row = self.closed.setdefault((scope, referrer, month, currency), [0, pos])
            row[0], row[1] = row[0] + amount, pos

    def _month(self, scope: str, member: str, month: int, pos: int) -> list[int]:
        key = (scope, member, month)
        row = self.months.get(key)
        if row is None:
            row = self.months[key] = [0, 0, 0, 0, pos]
        else:
            row[4] = pos
        return row

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> None:
        many = self.tx.executemany
        # Rows in key order: the database then walks each B-tree once, forwards.
        many(SQL["member"], sorted(self.members.values()))
        many(SQL["circle"], self.new_circles)
        many(SQL["membership"], sorted(self.memberships.values()))
        many(SQL["give"], sorted(self.gives.values()))
        many(SQL["give_entry"], self.give_entries)
        many(SQL["dispute"], self.disputes)
        many(SQL["close_dispute"], self.closures)
        many(SQL["referral"], sorted(self.referrals.values()))
        many(SQL["referral_entry"], self.referral_entries)
        many(SQL["month"], [(*key, *row) for key, row in sorted(self.months.items())])
        many(SQL["closed"], [(*key, *row) for key, row in sorted(self.closed.items())])
