"""The audit log export: the hash-chained lines, their export and their verification.

- canonical: the line's fields, canonical JSON and the chain's hash;
- privacy: commitments standing for personal text;
- export: reading lines in pages and writing JSON Lines or CSV, filtered;
- verify: checking an export, line by line, in constant memory.

The chain itself is computed by projections.audit.AuditProjection, built here with
the line format it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from coop.audit.canonical import GENESIS, Line, body_text, canonical, chain_hash, plain, time_text
from coop.audit.privacy import Commitments, ballot_key_secret
from coop.services.ballot_box import BallotBox
from projections.audit import AuditProjection


class LineFormat:
    """The line format the audit projection writes with (see coop.audit.canonical)."""

    genesis = GENESIS

    def __init__(self, commitments: Commitments) -> None:
        self.commitments = commitments

    def time(self, moment: datetime) -> str:
        return time_text(moment)

    def details(self, data: dict[str, Any]) -> str:
        return canonical(plain(data))

    def hash(self, fields: Sequence[Any]) -> str:
        line = Line(*fields, hash="")
        return chain_hash(line.prev_hash, body_text(line))

    def conceal(self, text: str) -> str:
        return self.commitments.conceal(text)


def audit_projection(ballot_box: BallotBox) -> AuditProjection:
    """Return the audit projection, its commitments keyed by the network's ballot key."""
    return AuditProjection(LineFormat(Commitments(ballot_key_secret(ballot_box))))
