"""A referral: one member passing business to another."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import (
    NotAllowed,
    NotTheReceiver,
    ReferralTransitionRefused,
    SameReferrerAndReceiver,
)
from domain.values import Money, check_warmth, clean_text, parse_money

MADE, ACCEPTED, DECLINED, CLOSED, LOST = "made", "accepted", "declined", "business_closed", "lost"

# The only moves a referral may make; anything else is refused by name.
_NEXT: dict[str, tuple[str, ...]] = {
    MADE: (ACCEPTED, DECLINED),
    ACCEPTED: (CLOSED, LOST),
    DECLINED: (),
    CLOSED: (),
    LOST: (),
}


class Referral(CoopAggregate):
    """made -> accepted | declined; accepted -> business closed | lost; then thanked."""

    @classmethod
    def make(cls, *, referrer: UUID, receiver: UUID, prospect: str, need: str,
             warmth: object, circle_id: UUID | None = None, by: UUID) -> Referral:
        if by != referrer:
            raise NotAllowed("only the referrer makes a referral")
        if referrer == receiver:
            raise SameReferrerAndReceiver("a referral goes to another member")
        return cls._create(
            cls.Made,
            referrer=referrer,
            receiver=receiver,
            prospect=clean_text(prospect, "prospect", max_length=200),
            need=clean_text(need, "what they need", max_length=2000),
            warmth=check_warmth(warmth),
            circle_id=circle_id,
            by=by,
        )

    class Made(CoopAggregate.Created):
        referrer: UUID
        receiver: UUID
        prospect: str
        need: str
        warmth: int
        circle_id: UUID | None
        by: UUID

    @event(Made)
    def __init__(self, *, referrer: UUID, receiver: UUID, prospect: str, need: str,
                 warmth: int, circle_id: UUID | None, by: UUID):
        self.referrer = referrer
        self.receiver = receiver
        self.prospect = prospect
        self.need = need
        self.warmth = warmth
        self.circle_id = circle_id
        self.status = MADE
        self.value: Money | None = None
        self.thanked = False

    def _move(self, to: str, by: UUID) -> None:
        if by != self.receiver:
            raise NotTheReceiver("only the member who received the referral may do that")
        if to not in _NEXT[self.status]:
            raise ReferralTransitionRefused(
                f"a referral that is {self.status.replace('_', ' ')} "
                f"cannot become {to.replace('_', ' ')}"
            )

    def accept(self, *, by: UUID) -> None:
        self._move(ACCEPTED, by)
        self._accept(by=by)

    @event("Accepted")
    def _accept(self, *, by: UUID) -> None:
        self.status = ACCEPTED

    def decline(self, *, reason: str, by: UUID) -> None:
        self._move(DECLINED, by)
        self._decline(reason=clean_text(reason, "reason", max_length=1000, required=False), by=by)

    @event("Declined")
    def _decline(self, *, reason: str, by: UUID) -> None:
        self.status = DECLINED

    def close_business(self, *, value: object, currency: object, by: UUID) -> None:
        """Record business closed with the prospect, its value recorded by the receiver."""
        self._move(CLOSED, by)
        self._close_business(value=parse_money(value, currency), by=by)

    @event("BusinessClosed")
    def _close_business(self, *, value: Money, by: UUID) -> None:
        self.status = CLOSED
        self.value = value

    def mark_lost(self, *, reason: str, by: UUID) -> None:
        self._move(LOST, by)
        self._mark_lost(reason=clean_text(reason, "reason", max_length=1000, required=False), by=by)

    @event("Lost")
    def _mark_lost(self, *, reason: str, by: UUID) -> None:
        self.status = LOST

    def thank(self, *, message: str, by: UUID) -> None:
        """Thank the referrer once the referral has an outcome (closed or lost)."""
        if by != self.receiver:
            raise NotTheReceiver("only the member who received the referral thanks for it")
        if self.status not in (CLOSED, LOST):
            raise ReferralTransitionRefused(
                "a referral is thanked once its business is closed or lost"
            )
        if self.thanked:
            raise ReferralTransitionRefused("this referral has already been thanked")
        self._thank(message=clean_text(message, "message", max_length=1000, required=False), by=by)

    @event("Thanked")
    def _thank(self, *, message: str, by: UUID) -> None:
        self.thanked = True
