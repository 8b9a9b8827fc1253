"""The versions of the account tables, and how ``coop init`` brings them up to date.

The account tables are ours (the event log's tables belong to the eventsourcing
library, which looks after them). Every change to their shape is a numbered
migration below, never an edit of an earlier one: a store anywhere may stand at any
earlier version. A migration only adds (tables, nullable columns, indexes), so the
workers of the previous version still running during an upgrade keep working until
they are restarted. ``coop init`` applies the missing ones in order; each migration and
the row recording it commit in one transaction, so a store is always at a version,
never between two. Two ``coop init`` at once take turns (a write lock on SQLite, an
advisory lock on PostgreSQL): the second finds nothing left to do.

Workers never migrate. On first use of the store a process checks the version once
(``check``) and refuses with ``StoreNotInitialised`` when it is not the one this code
was written for: older means ``coop init`` has not been run since the upgrade, newer
means this host still runs an older Coop than the one that upgraded the tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coop.application import StoreNotInitialised

if TYPE_CHECKING:  # the store imports this module
    from coop.accounts.store import AccountStore, Cursor


@dataclass(frozen=True)
class Migration:
    number: int
    # What it adds, in words an operator reads in ``coop init``'s report.
    description: str
    statements: tuple[str, ...]


# The tables as they were before versions were recorded. Every statement is
# idempotent, so a store made then takes this migration as a no-op and is recorded
# at version 1.
BASELINE = (
    """CREATE TABLE IF NOT EXISTS {passwords} (
        member_id TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        changed_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {sessions} (
        token_hash TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        started_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_sessions_member ON {sessions} (member_id)",
    """CREATE TABLE IF NOT EXISTS {invitations} (
        token_hash TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL,
        accepted_at DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_invitations_member ON {invitations} (member_id)",
    """CREATE TABLE IF NOT EXISTS {failures} (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        failed_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_failures_subject "
    "ON {failures} (scope, subject, failed_at)",
    # Personal API tokens (coop/accounts/tokens.py): only their SHA-256 is kept.
    """CREATE TABLE IF NOT EXISTS {tokens} (
        token_id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        member_id TEXT NOT NULL,
        name TEXT NOT NULL,
        hint TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_tokens_member ON {tokens} (member_id)",
    # API requests sent with an Idempotency-Key, and their first reply
    # (coop/accounts/idempotency.py).
    """CREATE TABLE IF NOT EXISTS {idempotency} (
        member_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        content_type TEXT,
        location TEXT,
        created_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (member_id, idem_key))""",
    "CREATE INDEX IF NOT EXISTS coop_accounts_idempotency_created ON {idempotency} (created_at)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "passwords, sessions, invitations, failed sign-ins, API tokens and "
                 "replies to idempotent API requests", BASELINE),
    # NULL until the token is first used; written at most once a minute (tokens.py).
    Migration(2, "when each API token was last used",
              ("ALTER TABLE {tokens} ADD COLUMN last_used_at DOUBLE PRECISION",)),
)

RECORD_TABLE = (
    "CREATE TABLE IF NOT EXISTS {migrations} (version INTEGER PRIMARY KEY, "
    "description TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)"
)


def latest() -> int:
    """Return the version this code works with (read at call time: tests play an
    older or a newer Coop by changing MIGRATIONS)."""
    return MIGRATIONS[-1].number


class SchemaMismatch(StoreNotInitialised):
    """The account tables are at another version than this Coop works with."""


def older(found: int) -> SchemaMismatch:
    return SchemaMismatch(f"the account tables are at schema version {found} and this Coop "
                          f"needs {latest()}: run 'coop init' to upgrade")


def newer(found: int) -> SchemaMismatch:
    return SchemaMismatch(f"the account tables were upgraded by a newer Coop (version {found}, "
                          f"this one knows {latest()}): upgrade Coop on this host")


@dataclass(frozen=True)
class Upgrade:
    """What ``upgrade`` found and did."""

    before: int  # 0: there were no account tables
    after: int
    applied: tuple[Migration, ...]

    def describe(self) -> str:
        """Return one sentence for ``coop init``'s report."""
        if not self.applied:
            return f"at version {self.after}, nothing to do."
        if self.before == 0:
            return f"created at version {self.after}."
        # A store from before versions were recorded re-takes the baseline: not news.
        added = [m.description for m in self.applied if m.number > self.before]
        return (f"upgraded from version {self.before} to {self.after} "
                f"(added: {'; '.join(added)}).")


def upgrade(store: AccountStore) -> Upgrade:
    """Apply the migrations the store lacks, each in a transaction of its own.

    Refuses, changing nothing, when the tables are newer than this code.
    """
    before: int | None = None
    applied: list[Migration] = []
    for migration in MIGRATIONS:
        with store.migrating() as cur:
            cur.run(RECORD_TABLE)
            recorded = _recorded(cur)
            if before is None:
                before = recorded or (1 if _has_baseline(store, cur) else 0)
                if before > latest():
                    raise newer(before)
            if recorded >= migration.number:
                continue
            for statement in migration.statements:
                cur.run(statement)
            cur.run("INSERT INTO {migrations} (version, description, applied_at) "
                    "VALUES (?, ?, ?)", [migration.number, migration.description, time.time()])
            applied.append(migration)
    return Upgrade(before or 0, latest(), tuple(applied))


def version(store: AccountStore) -> int:
    """Return the version the store's tables are at: 0 when there are none, 1 for
    tables made before versions were recorded. One query when they are versioned."""
    try:
        with store.unchecked() as cur:
            recorded = _recorded(cur)
        if recorded:
            return recorded
    except StoreNotInitialised:  # no record table: unversioned tables, or none at all
        pass
    with store.unchecked() as cur:
        return 1 if _has_baseline(store, cur) else 0


def check(store: AccountStore) -> None:
    """Raise StoreNotInitialised unless the tables are at the version of this code."""
    from coop.accounts.store import NOT_INITIALISED

    found = version(store)
    if found == 0:
        raise StoreNotInitialised(NOT_INITIALISED)
    if found < latest():
        raise older(found)
    if found > latest():
        raise newer(found)


def _recorded(cur: Cursor) -> int:
    row = cur.one("SELECT MAX(version) FROM {migrations}")
    return int(row[0]) if row and row[0] is not None else 0


def _has_baseline(store: AccountStore, cur: Cursor) -> bool:
    """Say whether the first of the baseline's tables exists."""
    if store.settings.backend == "sqlite":
        found = cur.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [store.tables["passwords"]])
        return found is not None
    found = cur.one("SELECT to_regclass(?)", [store.tables["passwords"]])
    return bool(found and found[0])
