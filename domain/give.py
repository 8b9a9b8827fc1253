"""A give: hours of help one member gave another."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import (
    GiveAlreadyReversed,
    GiveAlreadySettled,
    NotTheGiver,
    NotTheReceiver,
    SameGiverAndReceiver,
)
from domain.values import clean_text, parse_hours

PENDING, CONFIRMED, DISPUTED, REVERSED = "pending", "confirmed", "disputed", "reversed"


class Give(CoopAggregate):
    """Recorded by the giver, confirmed or disputed by the receiver.

    A give is never edited: a mistake in a confirmed give is corrected by a
    Reversed event with a reason (and, if need be, a new give).
    """

    @classmethod
    def record(cls, *, giver: UUID, receiver: UUID, hours: object, description: str,
               ask_id: UUID | None = None, offer_id: UUID | None = None,
               circle_id: UUID | None = None, by: UUID) -> Give:
        if by != giver:
            raise NotTheGiver("only the giver records a give")
        if giver == receiver:
            raise SameGiverAndReceiver("a give needs a giver and a receiver who differ")
        return cls._create(
            cls.Recorded,
            giver=giver,
            receiver=receiver,
            hours=parse_hours(hours),
            description=clean_text(description, "description", max_length=1000),
            ask_id=ask_id,
            offer_id=offer_id,
            circle_id=circle_id,
            by=by,
        )

    class Recorded(CoopAggregate.Created):
        giver: UUID
        receiver: UUID
        hours: Decimal
        description: str
        ask_id: UUID | None
        offer_id: UUID | None
        circle_id: UUID | None
        by: UUID

    @event(Recorded)
    def __init__(self, *, giver: UUID, receiver: UUID, hours: Decimal, description: str,
                 ask_id: UUID | None, offer_id: UUID | None, circle_id: UUID | None,
                 by: UUID):
        self.giver = giver
        self.receiver = receiver
        self.hours = hours
        self.description = description
        self.ask_id = ask_id
        self.offer_id = offer_id
        self.circle_id = circle_id
        self.status = PENDING
        self.dispute_reason = ""
        self.reversal_reason = ""

    def _check_receiver_may_settle(self, by: UUID) -> None:
        if by != self.receiver:
            raise NotTheReceiver("only the receiver of a give confirms or disputes it")
        if self.status == REVERSED:
            raise GiveAlreadyReversed("this give has been reversed")
        if self.status == CONFIRMED:
            raise GiveAlreadySettled(
                "this give is already confirmed; a confirmed give can only be reversed"
            )

    def confirm(self, *, by: UUID) -> None:
        """Confirm the give (a disputed give may still be confirmed once agreed)."""
        self._check_receiver_may_settle(by)
        self._confirm(by=by)

    @event("Confirmed")
    def _confirm(self, *, by: UUID) -> None:
        self.status = CONFIRMED

    def dispute(self, *, reason: str, by: UUID) -> None:
        self._check_receiver_may_settle(by)
        if self.status == DISPUTED:
            raise GiveAlreadySettled("this give is already disputed")
        self._dispute(reason=clean_text(reason, "reason", max_length=1000), by=by)

    @event("Disputed")
    def _dispute(self, *, reason: str, by: UUID) -> None:
        self.status = DISPUTED
        self.dispute_reason = reason

    def reverse(self, *, reason: str, by: UUID) -> None:
        """Cancel the give with a correcting entry; who may do so is decided by the service."""
        if self.status == REVERSED:
            raise GiveAlreadyReversed("this give has already been reversed")
        self._reverse(
            reason=clean_text(reason, "reason for the reversal", max_length=1000),
            was=self.status,
            by=by,
        )

    @event("Reversed")
    def _reverse(self, *, reason: str, was: str, by: UUID) -> None:
        # ``was`` lets a ledger net out exactly what this reversal cancels.
        self.status = REVERSED
        self.reversal_reason = reason
