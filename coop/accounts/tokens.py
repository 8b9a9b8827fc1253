"""Personal API tokens: a member's key for the JSON API, acting with their rights.

A token is 32 random bytes behind the prefix ``coop_`` (so a leaked one is easy to
recognise in a log or a repository scan). It is shown once, when it is made; the
store keeps only its SHA-256, its name and a short hint of its first characters.
Revoking deletes the row, so the very next request with the token is refused.
When a token was last used is kept too, so a member can tell a live token from a
forgotten one before revoking it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from coop.accounts.store import AccountStore
from coop.application import StoreUnavailable
from coop.services.authority import OPERATOR, Authority
from domain.errors import NotAllowed, NotFound, StateConflict
from domain.values import clean_text

PREFIX = "coop_"
HINT_LENGTH = len(PREFIX) + 4
MAX_TOKENS = 20
DEFAULT_NAME = "API token"
# Longer than any token we make: a header of megabytes is not worth hashing.
_MAX_LENGTH = 100
# A token's use is written at most once a minute. Writing on every API request
# would turn every read into a write: on SQLite all workers share one writer, so
# GETs would queue behind each other and behind sign-ins; on PostgreSQL each would
# leave a dead row version behind. To the minute is all a member needs to see.
LAST_USED_EVERY_SECONDS = 60

log = logging.getLogger(__name__)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TooManyTokens(StateConflict):
    """The member holds as many tokens as one may."""


class Tokens:
    """Make, list and revoke personal API tokens; say whose a token is."""

    def __init__(self, store: AccountStore, authority: Authority) -> None:
        self.store, self.authority = store, authority
        self.now: Callable[[], datetime] = _utc_now

    def create(self, member_id: UUID | str, *, name: str = "",
               by: UUID = OPERATOR) -> dict[str, Any]:
        """Make a token for a member and return it with its id; the token is shown
        this once and never again."""
        member = self._owner(member_id, by)
        label = clean_text(name, "the token's name", max_length=80, required=False)
        token = PREFIX + secrets.token_urlsafe(32)
        made = {"id": uuid.uuid4(), "name": label or DEFAULT_NAME, "hint": token[:HINT_LENGTH],
                "created_at": self.now(), "token": token}
        with self.store.transaction() as cur:
            held = cur.one("SELECT COUNT(*) FROM {tokens} WHERE member_id = ?", [str(member)])
            if held and held[0] >= MAX_TOKENS:
                raise TooManyTokens(
                    f"you hold {MAX_TOKENS} API tokens already: revoke one you no longer use")
            cur.run("INSERT INTO {tokens} (token_id, token_hash, member_id, name, hint, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [str(made["id"]), digest(token), str(member), made["name"], made["hint"],
                     made["created_at"].timestamp()])
        return made

    def list(self, member_id: UUID | str, *, by: UUID = OPERATOR) -> list[dict[str, Any]]:
        """Return a member's tokens, newest first: id, name, hint, when made and when
        last used (None: never, to the minute otherwise)."""
        member = self._owner(member_id, by, acting=False)
        with self.store.transaction() as cur:
            rows = cur.rows("SELECT token_id, name, hint, created_at, last_used_at "
                            "FROM {tokens} WHERE member_id = ? "
                            "ORDER BY created_at DESC, token_id", [str(member)])
        return [{"id": UUID(token_id), "name": name, "hint": hint,
                 "created_at": datetime.fromtimestamp(at, timezone.utc),
                 "last_used_at": (None if used is None
                                  else datetime.fromtimestamp(used, timezone.utc))}
                for token_id, name, hint, at, used in rows]

    def revoke(self, token_id: UUID | str, *, by: UUID) -> None:
        """Revoke one of the acting member's tokens (the operator may revoke any)."""
        try:
            key = str(token_id if isinstance(token_id, UUID) else UUID(str(token_id)))
        except ValueError:
            raise NotFound(f"no API token with id '{token_id}'") from None
        with self.store.transaction() as cur:
            row = cur.one("SELECT member_id FROM {tokens} WHERE token_id = ?", [key])
            if row is None:
                raise NotFound(f"no API token with id '{key}'")
            if by != OPERATOR and row[0] != str(by):
                raise NotAllowed("members revoke only their own API tokens")
            cur.run("DELETE FROM {tokens} WHERE token_id = ?", [key])

    def member_for(self, token: str | None) -> UUID | None:
        """Return the id of the member a token belongs to, or None if it is not one."""
        if not token or not token.startswith(PREFIX) or len(token) > _MAX_LENGTH:
            return None
        with self.store.transaction() as cur:
            row = cur.one("SELECT token_id, member_id, last_used_at FROM {tokens} "
                          "WHERE token_hash = ?", [digest(token)])
        if row is None:
            return None
        token_id, member, last_used = row
        now = self.now().timestamp()
        if last_used is None or now - last_used >= LAST_USED_EVERY_SECONDS:
            self._record_use(token_id, now)
        return UUID(member)

    def _record_use(self, token_id: str, now: float) -> None:
        """Note that the token was used now, unless another request just did."""
        try:
            with self.store.transaction() as cur:
                cur.run("UPDATE {tokens} SET last_used_at = ? WHERE token_id = ? "
                        "AND (last_used_at IS NULL OR last_used_at <= ?)",
                        [now, token_id, now - LAST_USED_EVERY_SECONDS])
        except StoreUnavailable as error:
            # The request needs only the token's owner, read above: a busy store
            # should not refuse it for the sake of this note. The next use retries.
            log.warning("could not note the use of API token %s: %s", token_id, error)

    def _owner(self, member_id: UUID | str, by: UUID, *, acting: bool = True) -> UUID:
        """Return the member whose tokens these are, if ``by`` may manage them."""
        member = self.authority.member(member_id)
        if by != OPERATOR and by != member.id:
            raise NotAllowed("members manage only their own API tokens")
        if acting:
            member.check_can_act()
        return member.id
