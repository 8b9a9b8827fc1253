"""Commitments: how personal text appears in the audit chain.

The chain must be verifiable by everyone who receives an export, so every audience
gets the same bytes for a line, and a line is written once. Personal free text
(emails, names, profiles, what passed privately between two members, a prospect's
name) is therefore never written in clear: it is replaced by

    "hmac-sha256:" + hex(HMAC-SHA256(audit secret, UTF-8 text))

A plain sha256 would not do: names and emails are few enough to guess, and anyone
could test a guess against it. With a keyed commitment only whoever holds the secret
(the network's operator) can check that a line says what a member claims it said.

The audit secret is derived from the network's ballot key (COOP_BALLOT_KEY or the data
dir's ballot.key, created by ``coop init``), so a network keeps one secret on every
host. Change the ballot key and a rebuilt audit chain would differ: keep it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable
from uuid import UUID, uuid5

from coop.services.ballot_box import BallotBox

PREFIX = "hmac-sha256:"

# The audit secret is the ballot box's derivation for this id. Proposal ids are
# random (uuid4) and a uuid5 never equals one, so no proposal's published tie-break
# seed is ever this secret, and HMAC keeps it independent of every seed published.
AUDIT_SECRET_ID = uuid5(UUID("1c3e9a52-7f04-5b8e-a0d6-2b9f4c8e6a13"), "coop/audit-commitments/v1")


def ballot_key_secret(ballot_box: BallotBox) -> Callable[[], bytes]:
    """Return a function giving the audit secret, read from the ballot key when first needed."""
    return lambda: bytes.fromhex(ballot_box.seed(AUDIT_SECRET_ID))


class Commitments:
    """Turns personal text into its keyed commitment."""

    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._secret = secret
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def key(self) -> bytes:
        with self._lock:
            if self._key is None:
                self._key = self._secret()
            return self._key

    def conceal(self, text: str) -> str:
        """Return the commitment to ``text``."""
        digest = hmac.new(self.key(), text.encode("utf-8", "replace"), hashlib.sha256)
        return PREFIX + digest.hexdigest()
