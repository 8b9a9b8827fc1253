"""The statements the ledger projection writes its rows with (one per table)."""

from __future__ import annotations

from collections.abc import Sequence

from projections.base import Table
from projections.ledger_tables import (
    CIRCLE_MEMBERS, CIRCLES, CLOSED_MONTHS, DISPUTES, GIVE_ENTRIES, GIVES, LEDGER_MONTHS,
    MEMBERS, REFERRAL_ENTRIES, REFERRALS,
)


def _upsert(table: Table, columns: Sequence[str]) -> str:
    """Return an INSERT that overwrites the row with the same key."""
    changing = [c for c in columns if c not in table.key]
    return (f"INSERT INTO {{{table.name}}} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in changing))


def _insert(table: Table, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {{{table.name}}} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def _add(table: Table, columns: Sequence[str], sums: Sequence[str]) -> str:
    """Return an INSERT that adds ``sums`` to the row with the same key."""
    return (_insert(table, columns)
            + f" ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = {{{table.name}}}.{c} + excluded.{c}" for c in sums)
            + ", position = excluded.position")


MEMBER_COLS = ("member_id", "email", "name", "joined_at", "joined_position",
                "left_at", "left_position", "position")
CIRCLE_COLS = ("circle_id", "name", "parent_id", "ancestry", "formed_at", "position")
MEMBERSHIP_COLS = ("circle_id", "member_id", "admitted_at", "admitted_position",
                    "departed_at", "departed_position")
GIVE_COLS = ("give_id", "giver_id", "receiver_id", "circle_id", "hours_c", "status",
              "disputed_position", "recorded_position", "position")
GIVE_ENTRY_COLS = ("position", "member_id", "give_id", "counterparty_id", "circle_id",
                    "kind", "hours_c", "given_c", "received_c", "at")
DISPUTE_COLS = ("position", "member_id", "give_id", "counterparty_id", "circle_id", "side",
                 "hours_c", "at", "closed_at", "closed_position")
REFERRAL_COLS = ("referral_id", "referrer_id", "receiver_id", "circle_id",
                  "made_position", "position")
REFERRAL_ENTRY_COLS = ("position", "member_id", "referral_id", "counterparty_id",
                        "circle_id", "kind", "currency", "amount_minor", "at")
MONTH_COLS = ("scope", "member_id", "month", "given_c", "received_c", "passed",
               "referred", "position")
CLOSED_COLS = ("scope", "member_id", "month", "currency", "amount_minor", "position")

SQL = {
    "member": _upsert(MEMBERS, MEMBER_COLS),
    "circle": _insert(CIRCLES, CIRCLE_COLS),
    "membership": _upsert(CIRCLE_MEMBERS, MEMBERSHIP_COLS),
    "give": _upsert(GIVES, GIVE_COLS),
    "give_entry": _insert(GIVE_ENTRIES, GIVE_ENTRY_COLS),
    "dispute": _insert(DISPUTES, DISPUTE_COLS),
    "close_dispute": "UPDATE {disputes} SET closed_at = ?, closed_position = ? "
                     "WHERE position = ?",
    "referral": _upsert(REFERRALS, REFERRAL_COLS),
    "referral_entry": _insert(REFERRAL_ENTRIES, REFERRAL_ENTRY_COLS),
    "month": _add(LEDGER_MONTHS, MONTH_COLS, ("given_c", "received_c", "passed", "referred")),
    "closed": _add(CLOSED_MONTHS, CLOSED_COLS, ("amount_minor",)),
}
