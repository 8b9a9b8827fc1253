"""Passing business to each other, and what came of it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import Authority
from domain.errors import NotAllowed
from domain.referral import Referral


class Referrals:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def make(self, *, receiver_id: UUID | str, prospect: str, need: str, warmth: object,
             circle_id: UUID | str | None = None, by: UUID) -> UUID:
        """Refer a prospect to another member; returns the referral's id."""
        self.authority.active(by)
        receiver = self.authority.active(receiver_id)
        circle = None
        if circle_id:
            circle = self.authority.circle_member(circle_id, by)
            circle.check_is_member(receiver.id)
        referral = Referral.make(
            referrer=by, receiver=receiver.id, prospect=prospect, need=need,
            warmth=warmth, circle_id=circle.id if circle else None, by=by,
        )
        self.app.save(referral)
        return referral.id

    def _act(self, referral_id: UUID | str, by: UUID, command: Any) -> None:
        self.authority.active(by)
        self.app.change(Referral, referral_id, "referral", command)

    def accept(self, referral_id: UUID | str, *, by: UUID) -> None:
        self._act(referral_id, by, lambda r: r.accept(by=by))

    def decline(self, referral_id: UUID | str, *, reason: str = "", by: UUID) -> None:
        self._act(referral_id, by, lambda r: r.decline(reason=reason, by=by))

    def close_business(self, referral_id: UUID | str, *, value: object, currency: object,
                       by: UUID) -> None:
        self._act(referral_id, by,
                  lambda r: r.close_business(value=value, currency=currency, by=by))

    def mark_lost(self, referral_id: UUID | str, *, reason: str = "", by: UUID) -> None:
        self._act(referral_id, by, lambda r: r.mark_lost(reason=reason, by=by))

    def thank(self, referral_id: UUID | str, *, message: str = "", by: UUID) -> None:
        self._act(referral_id, by, lambda r: r.thank(message=message, by=by))

    def view(self, referral_id: UUID | str, *, by: UUID) -> dict[str, Any]:
        """Return a referral to one of its two members or a steward: who was referred,
        and what they need, is business between the two."""
        referral = self.get(referral_id)
        if by not in (referral["referrer"], referral["receiver"]) \
                and not self.authority.is_steward(by):
            raise NotAllowed("only the two members of a referral (and stewards) may see it")
        return referral

    def get(self, referral_id: UUID | str) -> dict[str, Any]:
        r = self.app.load(Referral, referral_id, "referral")
        return {
            "id": r.id, "referrer": r.referrer, "receiver": r.receiver, "prospect": r.prospect,
            "need": r.need, "warmth": r.warmth, "circle_id": r.circle_id, "status": r.status,
            "value": r.value.amount if r.value else None,
            "currency": r.value.currency if r.value else None,
            "thanked": r.thanked, "made_at": r.created_on,
        }
