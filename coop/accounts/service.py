"""Invitations, passwords and sessions: how a member proves who they are.

Tokens (invitation and session) are random and shown once; the store keeps only
their SHA-256, so a copy of the tables lets no one in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher

from coop.accounts import throttle
from coop.accounts.errors import (
    InvitationNotFound,
    InvitationSpent,
    SignInRefused,
    WeakPassword,
    WrongPassword,
)
from coop.accounts.migrations import Upgrade
from coop.accounts.passwords import check_password, matches
from coop.accounts.store import AccountStore, Cursor
from coop.config import Settings
from coop.services.authority import OPERATOR, Authority
from domain.errors import InvalidValue, NotAllowed, NotFound
from domain.member import Member
from domain.values import member_id_for

INVITATION_LIFETIME = timedelta(days=7)
SESSION_LIFETIME = timedelta(days=14)
INVITATION_PATH = "/invitations/{token}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Accounts:
    """The account service: plain values in, plain values out."""

    def __init__(self, settings: Settings, authority: Authority, *,
                 create_tables: bool = False, hasher: PasswordHasher | None = None) -> None:
        self.store = AccountStore(settings)
        # What ``coop init`` did to the tables (None elsewhere: workers never touch them).
        self.upgraded: Upgrade | None = None
        if create_tables:
            try:
                self.upgraded = self.store.upgrade()
            except BaseException:
                self.store.close()
                raise
        self.authority = authority
        self.hasher = hasher or PasswordHasher()
        self.now: Callable[[], datetime] = _utc_now
        self._dummy_hash: tuple[PasswordHasher, str] | None = None

    def close(self) -> None:
        self.store.close()

    # Invitations

    def invite(self, email: str, *, by: UUID = OPERATOR) -> str:
        """Return a one-time invitation token for an existing member; a steward's act.

        A new invitation replaces the member's earlier unused ones.
        """
        self.authority.check_steward(by, "invite members")
        member = self._member_by_email(email)
        member.check_can_act()
        token = secrets.token_urlsafe(32)
        now = self.now()
        with self.store.transaction() as cur:
            cur.run("DELETE FROM {invitations} WHERE member_id = ? AND accepted_at IS NULL",
                    [str(member.id)])
            cur.run(
                "INSERT INTO {invitations} (token_hash, member_id, invited_by, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                [digest(token), str(member.id), str(by), now.timestamp(),
                 (now + INVITATION_LIFETIME).timestamp()],
            )
        return token

    def invitation(self, token: str) -> dict[str, Any]:
        """Return who an unused, unexpired invitation is for, or refuse it."""
        with self.store.transaction() as cur:
            member_id, expires_at = self._open_invitation(cur, token)
        member = self.authority.active(member_id)
        return {"member_id": member.id, "email": member.email, "name": member.name,
                "expires_at": datetime.fromtimestamp(expires_at, timezone.utc)}

    def accept_invitation(self, token: str, *, password: str) -> str:
        """Set the invited member's password, spend the invitation and return their email.

        Every session the member had is ended: an invitation doubles as a reset.
        """
        with self.store.transaction() as cur:
            member_id, _ = self._open_invitation(cur, token)
        member = self.authority.active(member_id)
        check_password(password, member.email)
        password_hash = self.hasher.hash(password)
        now = self.now().timestamp()
        with self.store.transaction() as cur:
            spent = cur.run(
                "UPDATE {invitations} SET accepted_at = ? "
                "WHERE token_hash = ? AND accepted_at IS NULL AND expires_at > ?",
                [now, digest(token), now],
            )
            if spent != 1:  # another request used it in the meantime
                raise InvitationSpent("this invitation has been used already")
            self._store_password(cur, member.id, password_hash)
            cur.run("DELETE FROM {sessions} WHERE member_id = ?", [str(member.id)])
        return member.email

    def _open_invitation(self, cur: Cursor, token: str) -> tuple[UUID, float]:
        row = cur.one("SELECT member_id, expires_at, accepted_at FROM {invitations} "
                      "WHERE token_hash = ?", [digest(token)])
        if row is None:
            raise InvitationNotFound(
                "this invitation link is not valid: check that you copied all of it, "
                "or ask a steward for a new one"
            )
        member_id, expires_at, accepted_at = row
        if accepted_at is not None:
            raise InvitationSpent(
                "this invitation has been used already: sign in with your password, "
                "or ask a steward for a new invitation"
            )
        if expires_at <= self.now().timestamp():
            raise InvitationSpent("this invitation has expired: ask a steward for a new one")
        return UUID(member_id), expires_at

    # Passwords and sessions

    def set_password(self, member_id: UUID | str, password: str, *,
                     by: UUID = OPERATOR) -> None:
        """Set a member's password without an invitation (the operator, the demo loader)."""
        self.authority.check_steward(by, "set another member's password")
        member = self.authority.active(self.authority.member(member_id).id)
        check_password(password, member.email)
        password_hash = self.hasher.hash(password)
        with self.store.transaction() as cur:
            self._store_password(cur, member.id, password_hash)
            cur.run("DELETE FROM {sessions} WHERE member_id = ?", [str(member.id)])

    def sign_in(self, email: str, password: str, *, address: str | None) -> str:
        """Return a new session token when the email and password match, else refuse."""
        account = throttle.account_subject(email)
        now = self.now()
        with self.store.transaction() as cur:
            throttle.check(cur, account=account, address=address, now=now)
        member = self._signing_in(email)
        stored = self._password_hash(member.id) if member else None
        # Verify even without an account, so the time taken does not tell who has one.
        if not matches(self.hasher, stored or self._dummy(), password) or not stored:
            with self.store.transaction() as cur:
                throttle.record_failure(cur, account=account, address=address, now=now)
            raise SignInRefused("that email and password do not match an account")
        assert member is not None
        rehashed = self.hasher.hash(password) if self.hasher.check_needs_rehash(stored) else None
        with self.store.transaction() as cur:
            throttle.forget_account_failures(cur, account)
            if rehashed:
                self._store_password(cur, member.id, rehashed)
            cur.run("DELETE FROM {sessions} WHERE expires_at <= ?", [now.timestamp()])
            return self._start_session(cur, member.id)

    def member_for(self, session_token: str | None) -> UUID | None:
        """Return the member a live session token belongs to, or None."""
        if not session_token:
            return None
        with self.store.transaction() as cur:
            row = cur.one("SELECT member_id, expires_at FROM {sessions} WHERE token_hash = ?",
                          [digest(session_token)])
        if row is None or row[1] <= self.now().timestamp():
            return None
        return UUID(row[0])

    def sign_out(self, session_token: str | None) -> None:
        """End the session and every other session of the same member."""
        member_id = self.member_for(session_token)
        if member_id is not None:
            with self.store.transaction() as cur:
                cur.run("DELETE FROM {sessions} WHERE member_id = ?", [str(member_id)])

    def change_password(self, session_token: str, *, current: str, new: str,
                        address: str | None = None) -> str:
        """Change the signed-in member's password, end all their other sessions and
        return a fresh token for this one."""
        member_id = self.member_for(session_token)
        if member_id is None:
            raise NotAllowed("sign in first to change your password")
        member = self.authority.active(member_id)
        account = throttle.account_subject(member.email)
        now = self.now()
        with self.store.transaction() as cur:
            throttle.check(cur, account=account, address=address, now=now)
        stored = self._password_hash(member.id)
        if stored is None or not matches(self.hasher, stored, current):
            with self.store.transaction() as cur:
                throttle.record_failure(cur, account=account, address=address, now=now)
            raise WrongPassword("your current password is not right")
        check_password(new, member.email)
        if new == current:
            raise WeakPassword("the new password must differ from the current one")
        password_hash = self.hasher.hash(new)
        with self.store.transaction() as cur:
            self._store_password(cur, member.id, password_hash)
            cur.run("DELETE FROM {sessions} WHERE member_id = ?", [str(member.id)])
            return self._start_session(cur, member.id)

    def end_sessions_and_tokens(self, member_id: UUID | str) -> None:
        """End every way back in of a member who left: their sessions, personal API
        tokens and unused invitations, in one transaction.

        The password stays: a member welcomed back signs in with it again. Without
        this, the sign-in checks refuse these keys only while the member is away, so a
        token or session leaked in the meantime would work again on their return.
        """
        member = str(self.authority.member(member_id).id)
        with self.store.transaction() as cur:
            cur.run("DELETE FROM {sessions} WHERE member_id = ?", [member])
            cur.run("DELETE FROM {tokens} WHERE member_id = ?", [member])
            cur.run("DELETE FROM {invitations} WHERE member_id = ? AND accepted_at IS NULL",
                    [member])

    # Internals

    def _member_by_email(self, email: str) -> Member:
        try:
            return self.authority.member(member_id_for(email))
        except NotFound:
            raise NotFound(
                f"no member with email '{email.strip()}': add them first with 'coop member add'"
            ) from None

    def _signing_in(self, email: str) -> Member | None:
        try:
            member = self.authority.member(member_id_for(email))
        except (InvalidValue, NotFound):
            return None
        return None if member.has_left else member

    def _password_hash(self, member_id: UUID) -> str | None:
        with self.store.transaction() as cur:
            row = cur.one("SELECT password_hash FROM {passwords} WHERE member_id = ?",
                          [str(member_id)])
        return row[0] if row else None

    def _store_password(self, cur: Cursor, member_id: UUID, password_hash: str) -> None:
        cur.run(
            "INSERT INTO {passwords} (member_id, password_hash, changed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (member_id) DO UPDATE SET password_hash = excluded.password_hash, "
            "changed_at = excluded.changed_at",
            [str(member_id), password_hash, self.now().timestamp()],
        )

    def _start_session(self, cur: Cursor, member_id: UUID) -> str:
        token = secrets.token_urlsafe(32)
        now = self.now()
        cur.run("INSERT INTO {sessions} (token_hash, member_id, started_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                [digest(token), str(member_id), now.timestamp(),
                 (now + SESSION_LIFETIME).timestamp()])
        return token

    def _dummy(self) -> str:
        if self._dummy_hash is None or self._dummy_hash[0] is not self.hasher:
            self._dummy_hash = (self.hasher, self.hasher.hash(secrets.token_hex(16)))
        return self._dummy_hash[1]
