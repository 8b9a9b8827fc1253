"""Sign-in throttling: failed attempts counted per account and per client address.

Failures are rows in the account store, so every worker and every host sees the same
count. The account limit stops guessing one member's password from many addresses;
the address limit stops one address trying a few passwords on every member.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from coop.accounts.errors import TooManyAttempts
from coop.accounts.store import Cursor

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20

ACCOUNT, ADDRESS = "account", "address"


def account_subject(email: str) -> str:
    # A digest, so the table of failures is not also a list of who tried to sign in.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def check(cur: Cursor, *, account: str, address: str | None, now: datetime) -> None:
    """Raise TooManyAttempts when the account or the address is over its limit."""
    waits = [_wait(cur, ACCOUNT, account, ACCOUNT_LIMIT, now)]
    if address:
        waits.append(_wait(cur, ADDRESS, address, ADDRESS_LIMIT, now))
    wait = max(waits)
    if wait > 0:
        minutes = math.ceil(wait / 60)
        raise TooManyAttempts(
            f"too many failed sign-ins: wait {minutes} minute{'s' if minutes > 1 else ''} "
            "and try again (or ask a steward for a new invitation if you forgot your password)",
            retry_after=math.ceil(wait),
        )


def record_failure(cur: Cursor, *, account: str, address: str | None, now: datetime) -> None:
    """Count one failed attempt against the account and the address."""
    at = now.timestamp()
    cur.run("DELETE FROM {failures} WHERE failed_at < ?", [(now - WINDOW).timestamp()])
    cur.run("INSERT INTO {failures} (scope, subject, failed_at) VALUES (?, ?, ?)",
            [ACCOUNT, account, at])
    if address:
        cur.run("INSERT INTO {failures} (scope, subject, failed_at) VALUES (?, ?, ?)",
                [ADDRESS, address, at])


def forget_account_failures(cur: Cursor, account: str) -> None:
    """Clear an account's count after it signs in: the member has proved who they are."""
    cur.run("DELETE FROM {failures} WHERE scope = ? AND subject = ?", [ACCOUNT, account])


def _wait(cur: Cursor, scope: str, subject: str, limit: int, now: datetime) -> float:
    """Return the seconds until ``subject`` drops below ``limit`` failures (0: it is below)."""
    recent = cur.rows(
        "SELECT failed_at FROM {failures} WHERE scope = ? AND subject = ? AND failed_at >= ? "
        "ORDER BY failed_at DESC LIMIT ?",
        [scope, subject, (now - WINDOW).timestamp(), limit],
    )
    if len(recent) < limit:
        return 0.0
    # Once the oldest of the last ``limit`` failures leaves the window, one more try is allowed.
    return max(recent[-1][0] + WINDOW.total_seconds() - now.timestamp(), 1.0)
