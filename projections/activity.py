"""What a member's dashboard needs: their gives and referrals, and the news.

Gives and referrals are kept once per member they concern (one row for each side),
so "waiting for me" and "mine, newest first" are each one range of an index. The
feed is one row per noteworthy event, scoped to the circle it happened in (or the
network), so "new in my circles" reads the newest rows of a few scopes.
"""

from __future__ import annotations

from typing import Any

from domain.ask import Ask
from domain.circle import Circle
from domain.distribution import Distribution
from domain.give import CONFIRMED, Give
from domain.member import Member
from domain.offer import Offer
from domain.referral import MADE, Referral
from projections.base import Table, micros
from projections.ledger_tables import centi_hours, minor_units
from projections.listing import NETWORK, ByEvent, insert, sid
from projections.store import Tx

GIVES = Table(
    "activity_gives",
    # role: given (this member gave) or received.
    "member_id TEXT NOT NULL, give_id TEXT NOT NULL, role TEXT NOT NULL, "
    "counterparty_id TEXT NOT NULL, hours_c BIGINT NOT NULL, description TEXT NOT NULL, "
    "status TEXT NOT NULL, circle_id TEXT, recorded_at BIGINT NOT NULL, "
    "recorded_position BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("member_id", "give_id"),
    indexes=("member_id, recorded_position", "member_id, role, status", "give_id"),
    lookups=("give_id",),  # a give's later events update its rows by give_id
)
REFERRALS = Table(
    "activity_referrals",
    # role: made (this member referred) or received.
    "member_id TEXT NOT NULL, referral_id TEXT NOT NULL, role TEXT NOT NULL, "
    "counterparty_id TEXT NOT NULL, prospect TEXT NOT NULL, warmth INTEGER NOT NULL, "
    "status TEXT NOT NULL, thanked INTEGER NOT NULL, circle_id TEXT, "
    "currency TEXT, amount_minor BIGINT, made_at BIGINT NOT NULL, "
    "made_position BIGINT NOT NULL, changed_at BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("member_id", "referral_id"),
    indexes=("member_id, made_position", "member_id, role, status", "member_id, position",
             "referral_id"),
    lookups=("referral_id",),  # likewise a referral's, by referral_id
)
FEED = Table(
    "activity_feed",
    # kind names what happened (give.confirmed, ask.posted, ...); actor did it, other
    # is the member it concerned, subject the thing (give, ask, circle, ...), title
    # what the subject was called then; hours_c for gives, amount for distributions.
    "position BIGINT NOT NULL, scope TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL, "
    "actor_id TEXT, other_id TEXT, subject_id TEXT, title TEXT NOT NULL, hours_c BIGINT, "
    "circle_id TEXT",
    key=("position",),
    indexes=("scope, position",),
    in_key_order=True,
)

_GIVE_COLS = ("member_id", "give_id", "role", "counterparty_id", "hours_c", "description",
              "status", "circle_id", "recorded_at", "recorded_position", "position")
_REFERRAL_COLS = ("member_id", "referral_id", "role", "counterparty_id", "prospect", "warmth",
                  "status", "thanked", "circle_id", "currency", "amount_minor", "made_at",
                  "made_position", "changed_at", "position")
_FEED_COLS = ("position", "scope", "at", "kind", "actor_id", "other_id", "subject_id", "title",
              "hours_c", "circle_id")


class ActivityProjection(ByEvent):
    name = "activity"
    version = 1
    tables = (GIVES, REFERRALS, FEED)
    events = (Member.Joined, Member.Left, Member.Rejoined,
              Circle.Formed, Circle.MemberAdmitted, Circle.MandateGranted,
              Offer.Posted, Ask.Posted,
              Give.Recorded, Give.Confirmed, Give.Disputed, Give.Reversed,
              Referral.Made, Referral.Accepted, Referral.Declined, Referral.BusinessClosed,
              Referral.Lost, Referral.Thanked,
              Distribution.Declared)

    def _feed(self, tx: Tx, pos: int, e: Any, kind: str, *, circle: Any = None,
              actor: Any = None, other: Any = None, subject: Any = None, title: str = "",
              hours_c: int | None = None) -> None:
        circle_id = sid(circle)
        tx.execute(insert(FEED, _FEED_COLS), (
            pos, circle_id or NETWORK, micros(e.timestamp), kind, sid(actor), sid(other),
            sid(subject), title, hours_c, circle_id))

    # -- members and circles --------------------------------------------------------
    def _Member_Joined(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "member.joined", actor=e.originator_id)

    def _Member_Left(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "member.left", actor=e.originator_id)

    def _Member_Rejoined(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "member.rejoined", actor=e.originator_id)

    def _Circle_Formed(self, tx: Tx, pos: int, e: Any) -> None:
        # News of a new circle goes to the circle it sits under (or the network).
        self._feed(tx, pos, e, "circle.formed", circle=e.parent_id, subject=e.originator_id,
                   title=e.name)

    def _Circle_MemberAdmitted(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "circle.admitted", circle=e.originator_id, actor=e.member_id,
                   subject=e.originator_id)

    def _Circle_MandateGranted(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "circle.mandate", circle=e.originator_id,
                   subject=e.originator_id, title=e.domain)

    # -- offers and asks ------------------------------------------------------------
    def _Offer_Posted(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "offer.posted", circle=e.circle_id, actor=e.author,
                   subject=e.originator_id, title=e.title)

    def _Ask_Posted(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "ask.posted", circle=e.circle_id, actor=e.author,
                   subject=e.originator_id, title=e.title)

    # -- gives ------------------------------------------------------------------------
    def _Give_Recorded(self, tx: Tx, pos: int, e: Any) -> None:
        give_id, at, hours = sid(e.originator_id), micros(e.timestamp), centi_hours(e.hours)
        giver, receiver, circle = sid(e.giver), sid(e.receiver), sid(e.circle_id)
        tx.executemany(insert(GIVES, _GIVE_COLS), [
            (giver, give_id, "given", receiver, hours, e.description, "pending", circle, at,
             pos, pos),
            (receiver, give_id, "received", giver, hours, e.description, "pending", circle,
             at, pos, pos),
        ])

    def _settle(self, tx: Tx, pos: int, e: Any, status: str) -> dict[str, Any]:
        give_id = sid(e.originator_id)
        tx.execute("UPDATE {activity_gives} SET status = ?, position = ? WHERE give_id = ?",
                   (status, pos, give_id))
        rows = tx.fetchall("SELECT member_id, counterparty_id, hours_c, circle_id "
                           "FROM {activity_gives} WHERE give_id = ? AND role = 'given'",
                           (give_id,))
        giver, receiver, hours, circle = rows[0]
        return {"circle": circle, "actor": giver, "other": receiver, "subject": give_id,
                "hours_c": hours}

    def _Give_Confirmed(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "give.confirmed", **self._settle(tx, pos, e, CONFIRMED))

    def _Give_Disputed(self, tx: Tx, pos: int, e: Any) -> None:
        self._settle(tx, pos, e, "disputed")  # between the two members: no news

    def _Give_Reversed(self, tx: Tx, pos: int, e: Any) -> None:
        give = self._settle(tx, pos, e, "reversed")
        if e.was == CONFIRMED:  # the ledger changed: everyone who saw it counted may know
            self._feed(tx, pos, e, "give.reversed", **give)

    # -- referrals ----------------------------------------------------------------------
    def _Referral_Made(self, tx: Tx, pos: int, e: Any) -> None:
        referral_id, at = sid(e.originator_id), micros(e.timestamp)
        referrer, receiver, circle = sid(e.referrer), sid(e.receiver), sid(e.circle_id)
        tx.executemany(insert(REFERRALS, _REFERRAL_COLS), [
            (referrer, referral_id, "made", receiver, e.prospect, e.warmth, MADE, 0, circle,
             None, None, at, pos, at, pos),
            (receiver, referral_id, "received", referrer, e.prospect, e.warmth, MADE, 0, circle,
             None, None, at, pos, at, pos),
        ])

    def _move(self, tx: Tx, pos: int, e: Any, status: str) -> None:
        tx.execute("UPDATE {activity_referrals} SET status = ?, changed_at = ?, position = ? "
                   "WHERE referral_id = ?", (status, micros(e.timestamp), pos,
                                             sid(e.originator_id)))

    def _Referral_Accepted(self, tx: Tx, pos: int, e: Any) -> None:
        self._move(tx, pos, e, "accepted")

    def _Referral_Declined(self, tx: Tx, pos: int, e: Any) -> None:
        self._move(tx, pos, e, "declined")

    def _Referral_Lost(self, tx: Tx, pos: int, e: Any) -> None:
        self._move(tx, pos, e, "lost")

    def _Referral_BusinessClosed(self, tx: Tx, pos: int, e: Any) -> None:
        referral_id = sid(e.originator_id)
        self._move(tx, pos, e, "business_closed")
        currency = e.value.currency
        tx.execute("UPDATE {activity_referrals} SET currency = ?, amount_minor = ? "
                   "WHERE referral_id = ?",
                   (currency, minor_units(e.value.amount, currency), referral_id))
        referrer, receiver, circle = tx.fetchall(
            "SELECT member_id, counterparty_id, circle_id FROM {activity_referrals} "
            "WHERE referral_id = ? AND role = 'made'", (referral_id,))[0]
        # The prospect stays between the two members; the network sees that it worked.
        self._feed(tx, pos, e, "referral.closed", circle=circle, actor=receiver,
                   other=referrer, subject=referral_id)

    def _Referral_Thanked(self, tx: Tx, pos: int, e: Any) -> None:
        tx.execute("UPDATE {activity_referrals} SET thanked = 1, changed_at = ?, position = ? "
                   "WHERE referral_id = ?", (micros(e.timestamp), pos, sid(e.originator_id)))

    # -- distributions --------------------------------------------------------------------
    def _Distribution_Declared(self, tx: Tx, pos: int, e: Any) -> None:
        self._feed(tx, pos, e, "distribution.declared", circle=e.circle_id, actor=e.by,
                   subject=e.originator_id, title=f"{e.pool.amount} {e.pool.currency}")
