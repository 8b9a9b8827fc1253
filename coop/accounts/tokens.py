"""Personal API tokens: a member's key for the JSON API, acting with their rights.

A token is 32 random bytes behind the prefix ``coop_`` (so a leaked one is easy to
recognise in a log or a repository scan). It is shown once, when it is made; the
store keeps only its SHA-256, its name and a short hint of its first characters.
Revoking deletes the row, so the very next request with the token is refused.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from coop.accounts.store import AccountStore
from coop.services.authority import OPERATOR, Authority
from domain.errors import NotAllowed, NotFound, StateConflict
from domain.values import clean_text

PREFIX = "coop_"
HINT_LENGTH = len(PREFIX) + 4
MAX_TOKENS = 20
DEFAULT_NAME = "API token"
# Longer than any token we make: a header of megabytes is not worth hashing.
_MAX_LENGTH = 100


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
        """Return a member's tokens, newest first: id, name, hint and when made."""
        member = self._owner(member_id, by, acting=False)
        with self.store.transaction() as cur:
            rows = cur.rows("SELECT token_id, name, hint, created_at FROM {tokens} "
                            "WHERE member_id = ? ORDER BY created_at DESC, token_id",
                            [str(member)])
        return [{"id": UUID(token_id), "name": name, "hint": hint,
                 "created_at": datetime.fromtimestamp(at, timezone.utc)}
                for token_id, name, hint, at in rows]

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
            row = cur.one("SELECT member_id FROM {tokens} WHERE token_hash = ?", [digest(token)])
        return UUID(row[0]) if row else None

    def _owner(self, member_id: UUID | str, by: UUID, *, acting: bool = True) -> UUID:
        """Return the member whose tokens these are, if ``by`` may manage them."""
        member = self.authority.member(member_id)
        if by != OPERATOR and by != member.id:
            raise NotAllowed("members manage only their own API tokens")
        if acting:
            member.check_can_act()
        return member.id
