"""The fair-share ledger's tables and the units its figures are stored in.

Figures are integers so they are exact and sum the same way on both databases:
hours in hundredths (a give has at most 2 places), money in the currency's minor
unit, times in microseconds since 1970 UTC, months as YYYYMM. Every row names the
log position of the event that wrote it (``position``, ``*_position``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from domain.values import CURRENCY_MINOR_UNITS
from projections.base import Table, micros

NETWORK = "network"  # the scope of figures for the whole network (a circle's is its id)

MEMBERS = Table(
    "members",
    "member_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL, "
    "joined_at BIGINT NOT NULL, joined_position BIGINT NOT NULL, "
    "left_at BIGINT, left_position BIGINT, position BIGINT NOT NULL",
    key=("member_id",),
)
CIRCLES = Table(
    "circles",
    # ancestry: the circle's id, then its parent's, up to the top ("id parent ...").
    "circle_id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT, ancestry TEXT NOT NULL, "
    "formed_at BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("circle_id",),
)
CIRCLE_MEMBERS = Table(
    "circle_members",
    # A member's stints in a circle; and, with circle_id NETWORK, their stints in the
    # network itself, kept only for members who came back after leaving.
    "circle_id TEXT NOT NULL, member_id TEXT NOT NULL, "
    "admitted_at BIGINT NOT NULL, admitted_position BIGINT NOT NULL, "
    "departed_at BIGINT, departed_position BIGINT",
    key=("circle_id", "member_id", "admitted_position"),
    indexes=("member_id",),
)
GIVES = Table(
    "gives",
    # disputed_position: the open dispute's position, None when there is none.
    "give_id TEXT NOT NULL, giver_id TEXT NOT NULL, receiver_id TEXT NOT NULL, "
    "circle_id TEXT, hours_c BIGINT NOT NULL, status TEXT NOT NULL, "
    "disputed_position BIGINT, recorded_position BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("give_id",),
)
GIVE_ENTRIES = Table(
    "give_entries",
    # One row per member a counted give event concerns (kind: given, received,
    # reversal_of_given, reversal_of_received). given_c/received_c are what the
    # entry adds to the member's hours given/received: negative for a reversal.
    "position BIGINT NOT NULL, member_id TEXT NOT NULL, give_id TEXT NOT NULL, "
    "counterparty_id TEXT NOT NULL, circle_id TEXT, kind TEXT NOT NULL, "
    "hours_c BIGINT NOT NULL, given_c BIGINT NOT NULL, received_c BIGINT NOT NULL, "
    "at BIGINT NOT NULL",
    # Keyed by time first: a period of the whole network or a circle is one range
    # of the table itself, and rows still arrive (nearly) in key order.
    key=("at", "position", "member_id"),
    indexes=("member_id, at",),
    in_key_order=True,
)
DISPUTES = Table(
    "disputes",
    # Disputed gives, never counted: one row per side (given / received), closed by
    # the confirmation or reversal that ends the dispute.
    "position BIGINT NOT NULL, member_id TEXT NOT NULL, give_id TEXT NOT NULL, "
    "counterparty_id TEXT NOT NULL, circle_id TEXT, side TEXT NOT NULL, "
    "hours_c BIGINT NOT NULL, at BIGINT NOT NULL, closed_at BIGINT, closed_position BIGINT",
    key=("position", "member_id"),
    indexes=("member_id",),
    in_key_order=True,
)
REFERRALS = Table(
    "referrals",
    "referral_id TEXT NOT NULL, referrer_id TEXT NOT NULL, receiver_id TEXT NOT NULL, "
    "circle_id TEXT, made_position BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("referral_id",),
)
REFERRAL_ENTRIES = Table(
    "referral_entries",
    # kind: passed / received (one each side of a referral made), closed (the
    # referrer's row for business closed from their referral: currency and amount).
    "position BIGINT NOT NULL, member_id TEXT NOT NULL, referral_id TEXT NOT NULL, "
    "counterparty_id TEXT NOT NULL, circle_id TEXT, kind TEXT NOT NULL, "
    "currency TEXT, amount_minor BIGINT, at BIGINT NOT NULL",
    # Keyed by time first: a period of the whole network or a circle is one range
    # of the table itself, and rows still arrive (nearly) in key order.
    key=("at", "position", "member_id"),
    indexes=("member_id, at",),
    in_key_order=True,
)
LEDGER_MONTHS = Table(
    "ledger_months",
    # Month totals per scope (the network, and each circle with the circles under it),
    # so a figure over many months reads a row per month, not every entry.
    "scope TEXT NOT NULL, member_id TEXT NOT NULL, month INTEGER NOT NULL, "
    "given_c BIGINT NOT NULL, received_c BIGINT NOT NULL, "
    "passed BIGINT NOT NULL, referred BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("scope", "member_id", "month"),
    in_key_order=True,
)
CLOSED_MONTHS = Table(
    "closed_months",
    "scope TEXT NOT NULL, member_id TEXT NOT NULL, month INTEGER NOT NULL, "
    "currency TEXT NOT NULL, amount_minor BIGINT NOT NULL, position BIGINT NOT NULL",
    key=("scope", "member_id", "month", "currency"),
    in_key_order=True,
)

TABLES = (MEMBERS, CIRCLES, CIRCLE_MEMBERS, GIVES, GIVE_ENTRIES, DISPUTES, REFERRALS,
          REFERRAL_ENTRIES, LEDGER_MONTHS, CLOSED_MONTHS)


def centi_hours(hours: Decimal) -> int:
    return int(hours.scaleb(2))


def hours_of(centi: int) -> Decimal:
    return Decimal(centi).scaleb(-2)


def minor_units(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(CURRENCY_MINOR_UNITS[currency]))


def money_of(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-CURRENCY_MINOR_UNITS[currency])


def month_of(moment: datetime) -> int:
    utc = moment.astimezone(timezone.utc)
    return utc.year * 100 + utc.month


def month_at(at: int) -> int:
    return month_of(datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=at))


def month_start(month: int) -> int:
    return micros(datetime(month // 100, month % 100, 1, tzinfo=timezone.utc))


def next_month(month: int) -> int:
    return month + 89 if month % 100 == 12 else month + 1


def day_start(day: date) -> int:
    """Return the first microsecond of a UTC day."""
    return micros(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def day_end(day: date) -> int:
    """Return the first microsecond after a UTC day (dates are inclusive)."""
    return day_start(day + timedelta(days=1))


def time_of(at: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=at)


def month_label(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"
