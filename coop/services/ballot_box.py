"""The ballot key: seals secret choices and derives each proposal's tie-break seed.

One secret, the network's ballot key (COOP_BALLOT_KEY, or the data dir's ``ballot.key``
file created by ``coop init``), from which HMAC-SHA256 derives per proposal:

- the sealing key: AES-256-GCM, a fresh random 96-bit nonce per ballot, the ballot id
  as associated data (a sealed choice cannot be moved to another ballot), the choice
  padded to one length per proposal (the length of a sealed ballot tells nothing);
- the tie-break seed, committed (as its sha256) when the proposal opens.

Neither derived value needs storing, and the key itself is never written to the log.
See docs/governance.md for the trust model this implies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import threading
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from coop.config import ConfigurationError, Settings
from domain.counting.common import canonical
from domain.errors import CoopError

NONCE_BYTES = 12
_SEAL = b"coop/ballot-seal/v1/"
_SEED = b"coop/tie-break/v1/"


class BallotKeyMissing(CoopError):
    """No ballot key is configured or stored."""


class SealBroken(CoopError):
    """A sealed ballot does not open with this ballot key."""


class BallotBox:
    """Seals and opens secret choices; derives tie-break seeds."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._key: bytes | None = None
        self._lock = threading.Lock()

    # The key
    def ensure_key(self) -> None:
        """Create the data dir's ballot.key (mode 0600) unless a key is configured or stored."""
        if self.settings.ballot_key:
            return
        path = self.settings.ballot_key_path
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
        try:
            # link() fails if the key exists: of two racing `coop init`s, one key wins.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()

    @property
    def available(self) -> bool:
        """Say whether a ballot key is configured or stored here."""
        return bool(self.settings.ballot_key) or self.settings.ballot_key_path.exists()

    def _master(self) -> bytes:
        with self._lock:
            if self._key is None:
                self._key = self._load().encode()
            return self._key

    def _load(self) -> str:
        if self.settings.ballot_key:
            return self.settings.ballot_key
        path = self.settings.ballot_key_path
        if not path.exists():
            raise BallotKeyMissing(
                f"no ballot key: set COOP_BALLOT_KEY or run 'coop init' to create {path}")
        if path.stat().st_mode & 0o077:
            raise ConfigurationError(f"{path} must be readable by its owner only (chmod 600)")
        key = path.read_text().strip()
        if len(key) < 32:
            raise ConfigurationError(f"{path} must hold a key of at least 32 characters")
        return key

    def _derive(self, purpose: bytes, proposal_id: UUID) -> bytes:
        return hmac.new(self._master(), purpose + proposal_id.bytes, hashlib.sha256).digest()

    # What the key gives
    def seed(self, proposal_id: UUID) -> str:
        """Return the proposal's tie-break seed (64 hex digits)."""
        return self._derive(_SEED, proposal_id).hex()

    def seal(self, proposal_id: UUID, ballot_id: UUID, choice: Any, option_count: int) -> str:
        """Return the choice sealed for this ballot, as base64 text."""
        text = canonical(choice).encode()
        size = padded_size(option_count)
        if len(text) > size:
            raise ValueError("a choice longer than any valid choice")  # programming error
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._derive(_SEAL, proposal_id)).encrypt(
            nonce, text.ljust(size, b" "), ballot_id.bytes)
        return base64.b64encode(nonce + sealed).decode()

    def open(self, proposal_id: UUID, ballot_id: UUID, sealed: str) -> Any:
        """Return the choice sealed in a ballot, or SealBroken."""
        try:
            blob = base64.b64decode(sealed, validate=True)
            text = AESGCM(self._derive(_SEAL, proposal_id)).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], ballot_id.bytes)
            return json.loads(text)
        except (InvalidTag, ValueError, binascii.Error):
            raise SealBroken(
                f"ballot {ballot_id} does not open with this ballot key: was the key changed?"
            ) from None


def padded_size(option_count: int) -> int:
    """Return the one plaintext length of every sealed choice on a proposal.

    Long enough for the longest valid choice (every option, ranked), rounded up to 64
    bytes, so that a "no" and an "abstain" or a short and a long ranking look alike.
    """
    longest = max(len(canonical(list(range(option_count)))), len(canonical("abstain")))
    return 64 * (longest // 64 + 1)
