"""Password rules and hashing (argon2id, the library's current defaults)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from coop.accounts.errors import WeakPassword

MIN_LENGTH = 10
# Argon2 hashes any length, but megabytes of "password" would be a way to burn CPU.
MAX_LENGTH = 1024


def check_password(password: str, email: str) -> None:
    """Raise WeakPassword unless ``password`` may be used by the member with ``email``."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password may have at most {MAX_LENGTH} characters")
    if password.strip().lower() == email.strip().lower():
        raise WeakPassword("a password must not be your email address")


def matches(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """Return True when ``password`` is the one ``password_hash`` was made from."""
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
