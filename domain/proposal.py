"""A proposal: drafted in a circle, opened under locked rules, then closed or withdrawn.

drafted (editable) -> open (rules locked, electorate frozen) -> closed (tally recorded)
                   \\-> withdrawn (before close, with a reason)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.counting import COUNTING_VERSION
from domain.counting.common import CONSENT, Rules, check_method, check_options
from domain.errors import (
    InvalidRules,
    NotAllowed,
    NotInElectorate,
    ProposalStateConflict,
    VotingClosed,
)
from domain.values import clean_text

DRAFTED, OPEN, CLOSED, WITHDRAWN = "drafted", "open", "closed", "withdrawn"
AMENDED, RULED_OUT, OBJECTION_WITHDRAWN = "amended", "ruled_out", "withdrawn"


def electorate_hash(member_ids: Iterable[UUID]) -> str:
    """Return the sha256 (hex) of the electorate: the JSON list of the member ids as
    lower-case text, sorted, without spaces, e.g. ["0d1e...","7a2b..."]."""
    ids = sorted(str(m) for m in member_ids)
    return hashlib.sha256(json.dumps(ids, separators=(",", ":")).encode()).hexdigest()


def seed_commitment(seed: str) -> str:
    """Return the sha256 (hex) of the tie-break seed's text: published at open."""
    return hashlib.sha256(seed.encode()).hexdigest()


# Longer than any real vote; it also keeps every closing time a valid UTC datetime.
MAX_VOTING_PERIOD = timedelta(days=731)


class Proposal(CoopAggregate):
    """One question put to a circle's members under one counting method."""

    @classmethod
    def draft(cls, *, circle_id: UUID, title: str, text: str, method: str,
              options: Sequence[str] = (), by: UUID) -> Proposal:
        method = check_method(method)
        return cls._create(
            cls.Drafted, circle_id=circle_id,
            title=clean_text(title, "title", max_length=200),
            text=clean_text(text, "text", max_length=20000),
            method=method, options=list(check_options(method, options)), by=by,
        )

    class Drafted(CoopAggregate.Created):
        circle_id: UUID
        title: str
        text: str
        method: str
        options: list[str]
        by: UUID

    @event(Drafted)
    def __init__(self, *, circle_id: UUID, title: str, text: str, method: str,
                 options: list[str], by: UUID):
        self.circle_id = circle_id
        self.title = title
        self.text = text
        self.method = method
        self.options = list(options)
        self.author = by
        self.state = DRAFTED
        self.text_version = 1
        self.rules_data: dict[str, Any] | None = None
        self.closes_at: datetime | None = None
        # As recorded: the ids as text, sorted. Thousands of UUID objects would be
        # decoded on every ballot's load of the proposal; text decodes at C speed.
        self.electorate_ids: list[str] = []
        self.electorate_hash = ""
        self.mandate: dict[str, str] | None = None
        self.tie_break_commitment = ""
        self.objections: list[dict[str, Any]] = []
        self.opened_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.withdrawal_reason = ""
        self.result: dict[str, Any] | None = None

    @property
    def electorate(self) -> list[UUID]:
        """Return the frozen electorate (empty until opened), sorted by id text."""
        return [UUID(m) for m in self.electorate_ids]

    def in_electorate(self, member_id: UUID) -> bool:
        return str(member_id) in set(self.electorate_ids)

    @property
    def rules(self) -> Rules | None:
        return Rules.from_dict(self.rules_data) if self.rules_data is not None else None

    def open_rules(self) -> Rules:
        """Return the rules of a proposal that has been opened."""
        if self.rules_data is None:
            raise ProposalStateConflict("this proposal has not been opened")
        return Rules.from_dict(self.rules_data)

    def _check_state(self, *states: str, doing: str) -> None:
        if self.state not in states:
            raise ProposalStateConflict(f"this proposal is {self.state}: one cannot {doing} it")

    # Drafting
    def edit(self, *, title: str, text: str, method: str, options: Sequence[str],
             by: UUID) -> None:
        self._check_state(DRAFTED, doing="edit")
        method = check_method(method)
        self._edit(title=clean_text(title, "title", max_length=200),
                   text=clean_text(text, "text", max_length=20000),
                   method=method, options=list(check_options(method, options)), by=by)

    @event("Edited")
    def _edit(self, *, title: str, text: str, method: str, options: list[str], by: UUID) -> None:
        self.title, self.text, self.method, self.options = title, text, method, list(options)

    # Opening
    def open(self, *, rules: Rules, closes_at: datetime, electorate: Iterable[UUID],
             mandate: dict[str, str] | None, tie_break_commitment: str, now: datetime,
             by: UUID) -> None:
        """Lock the rules and freeze the electorate (sorted, with its hash)."""
        self._check_state(DRAFTED, doing="open")
        if rules.method != self.method or list(rules.options) != self.options:
            raise ValueError("the rules must be made from this proposal's method and options")
        if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
            raise InvalidRules("the closing time must be a date and time with its time zone")
        if closes_at <= now:
            raise InvalidRules("the closing time must be in the future")
        if closes_at - now > MAX_VOTING_PERIOD:
            raise InvalidRules("a vote closes within two years of opening")
        closes_at = closes_at.astimezone(timezone.utc)
        members = sorted({str(m) for m in electorate})
        if not members:
            raise ProposalStateConflict("the circle has no members who could vote")
        self.trigger_event(
            self.Opened, rules=rules.to_dict(), closes_at=closes_at, electorate=members,
            electorate_hash=electorate_hash(UUID(m) for m in members), mandate=mandate,
            tie_break_commitment=tie_break_commitment, by=by,
        )

    class Opened(CoopAggregate.Event):
        rules: dict[str, Any]
        closes_at: datetime
        electorate: list[str]  # member ids as text, sorted
        electorate_hash: str
        mandate: dict[str, str] | None  # None: under the network's general mandate
        tie_break_commitment: str
        by: UUID

        def apply(self, aggregate: Proposal) -> None:  # type: ignore[override]
            aggregate.state = OPEN
            aggregate.rules_data = dict(self.rules)
            aggregate.closes_at = self.closes_at
            aggregate.electorate_ids = list(self.electorate)
            aggregate.electorate_hash = self.electorate_hash
            aggregate.mandate = dict(self.mandate) if self.mandate else None
            aggregate.tie_break_commitment = self.tie_break_commitment
            aggregate.opened_at = self.timestamp

    # Voting
    def check_takes_ballots(self, voter: UUID, now: datetime) -> None:
        """Refuse a ballot unless the proposal is open, before its closing time, and
        the voter belongs to the frozen electorate."""
        if self.state == DRAFTED:
            raise VotingClosed("voting on this proposal has not opened yet")
        if self.state == WITHDRAWN:
            raise VotingClosed("this proposal was withdrawn")
        if self.state == CLOSED:
            raise VotingClosed("voting on this proposal has closed")
        assert self.closes_at is not None
        if now >= self.closes_at:
            raise VotingClosed(f"voting closed at {self.closes_at:%Y-%m-%d %H:%M} UTC")
        if not self.in_electorate(voter):
            raise NotInElectorate(
                "only the members of the circle when voting opened may vote on this proposal")

    # Consent: objections
    def raise_objection(self, *, reason: str, now: datetime, by: UUID) -> int:
        """Record an objection by a voter; return its number."""
        if self.method != CONSENT:
            raise ProposalStateConflict("objections are raised on consent proposals only")
        self.check_takes_ballots(by, now)
        number = len(self.objections) + 1
        self._raise_objection(number=number,
                              reason=clean_text(reason, "reason", max_length=2000), by=by)
        return number

    @event("ObjectionRaised")
    def _raise_objection(self, *, number: int, reason: str, by: UUID) -> None:
        self.objections = [*self.objections, {
            "number": number, "reason": reason, "by": by, "status": "open",
            "resolution": None, "note": "",
        }]

    def open_objections(self, member: UUID | None = None) -> list[int]:
        return [o["number"] for o in self.objections
                if o["status"] == "open" and (member is None or o["by"] == member)]

    def resolve_objection(self, *, number: int, how: str, note: str = "",
                          amended_text: str = "", now: datetime, by: UUID) -> None:
        """Resolve an open objection: by amending the text, ruling it out with a
        reason, or withdrawn by the objector."""
        self._check_state(OPEN, doing="resolve objections on")
        assert self.closes_at is not None
        if now >= self.closes_at:
            raise VotingClosed("voting has closed: objections can no longer be resolved")
        if number not in self.open_objections():
            raise ProposalStateConflict(f"there is no open objection number {number}")
        objection = self.objections[number - 1]
        if how == AMENDED:
            text = clean_text(amended_text, "amended text", max_length=20000)
            if text == self.text:
                raise InvalidRules("the amended text is the same as the current text")
            self._amend(text=text, text_version=self.text_version + 1, by=by)
            note = clean_text(note, "note", max_length=2000, required=False)
        elif how == RULED_OUT:
            note = clean_text(note, "reason for ruling it out", max_length=2000)
        elif how == OBJECTION_WITHDRAWN:
            if by != objection["by"]:
                raise NotAllowed("only the objector withdraws their objection")
        else:
            raise ValueError(f"unknown resolution {how!r}")
        self._resolve_objection(number=number, how=how, note=note, by=by)

    @event("Amended")
    def _amend(self, *, text: str, text_version: int, by: UUID) -> None:
        self.text, self.text_version = text, text_version

    @event("ObjectionResolved")
    def _resolve_objection(self, *, number: int, how: str, note: str, by: UUID) -> None:
        self.objections = [
            {**o, "status": "resolved", "resolution": how, "note": note}
            if o["number"] == number else o
            for o in self.objections
        ]

    # Ending
    def withdraw(self, *, reason: str, now: datetime, by: UUID) -> None:
        self._check_state(DRAFTED, OPEN, doing="withdraw")
        if self.state == OPEN and self.closes_at is not None and now >= self.closes_at:
            raise VotingClosed("voting has closed: the proposal is counted, not withdrawn")
        self.trigger_event(self.Withdrawn,
                           reason=clean_text(reason, "reason", max_length=2000), by=by)

    class Withdrawn(CoopAggregate.Event):
        reason: str
        by: UUID

        def apply(self, aggregate: Proposal) -> None:  # type: ignore[override]
            aggregate.state = WITHDRAWN
            aggregate.withdrawal_reason = self.reason
            aggregate.ended_at = self.timestamp

    def close(self, *, tally: dict[str, Any], seed: str, mixed: list[Any] | None, cut: int,
              now: datetime, early: bool, by: UUID) -> None:
        """Record the tally and outcome; at the closing time, or early when allowed."""
        self._check_state(OPEN, doing="close")
        rules = self.open_rules()
        assert self.closes_at is not None
        if now < self.closes_at:
            if not early:
                raise ProposalStateConflict(
                    f"this proposal closes at {self.closes_at:%Y-%m-%d %H:%M} UTC")
            if not rules.allow_early_close:
                raise ProposalStateConflict("the rules of this proposal do not allow closing early")
        if seed_commitment(seed) != self.tie_break_commitment:
            raise ProposalStateConflict(
                "the tie-break seed does not match its commitment: was the ballot key changed?")
        self.trigger_event(
            self.Closed, tally=tally, outcome=tally["outcome"], winner=tally["winner"],
            counting_version=COUNTING_VERSION, tie_break_seed=seed,
            mixed_choices=mixed if rules.secret else None, cut=cut,
            early=bool(early and now < self.closes_at), by=by,
        )

    class Closed(CoopAggregate.Event):
        tally: dict[str, Any]
        outcome: str  # passed, failed or winner
        winner: int | None  # the winning option's index, for approval, irv and schulze
        counting_version: str
        tie_break_seed: str
        mixed_choices: list[Any] | None  # a secret ballot's choices, in canonical order
        cut: int  # ballots and delegations were counted up to this log position
        early: bool
        by: UUID

        def apply(self, aggregate: Proposal) -> None:  # type: ignore[override]
            aggregate.state = CLOSED
            aggregate.ended_at = self.timestamp
            aggregate.result = {
                "tally": self.tally, "outcome": self.outcome, "winner": self.winner,
                "counting_version": self.counting_version,
                "tie_break_seed": self.tie_break_seed, "mixed_choices": self.mixed_choices,
                "cut": self.cut, "early": self.early, "closed_by": self.by,
            }
