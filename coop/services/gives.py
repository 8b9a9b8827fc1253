"""Recording, confirming, disputing and reversing gives."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import Authority
from domain.ask import Ask
from domain.errors import InvalidValue, StateConflict
from domain.give import Give
from domain.offer import Offer


class Gives:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def record(self, *, receiver_id: UUID | str, hours: object, description: str,
               ask_id: UUID | str | None = None, offer_id: UUID | str | None = None,
               circle_id: UUID | str | None = None, by: UUID) -> UUID:
        """Record help the acting member gave; only the giver records a give."""
        self.authority.active(by)
        receiver = self.authority.active(receiver_id)
        circle = None
        if circle_id:
            circle = self.authority.circle_member(circle_id, by)
            circle.check_is_member(receiver.id)
        ask = self.app.load(Ask, ask_id, "ask") if ask_id else None
        if ask is not None:
            ask.check_is_open()
            if ask.author != receiver.id:
                raise InvalidValue("a give answering an ask goes to the member who asked")
        offer = self.app.load(Offer, offer_id, "offer") if offer_id else None
        if offer is not None:
            if offer.author != by:
                raise InvalidValue("a give answering an offer comes from the member who offered")
            if offer.withdrawn:
                raise StateConflict("this offer has been withdrawn")
        give = Give.record(
            giver=by, receiver=receiver.id, hours=hours, description=description,
            ask_id=ask.id if ask else None, offer_id=offer.id if offer else None,
            circle_id=circle.id if circle else None, by=by,
        )
        self.app.save(give)
        return give.id

    def confirm(self, give_id: UUID | str, *, by: UUID) -> None:
        """Confirm a give; if it answers the receiver's open ask, that ask is fulfilled
        in the same atomic save."""
        self.authority.active(by)

        def work() -> None:
            give = self.app.load(Give, give_id, "give")
            give.confirm(by=by)
            ask = self.app.load(Ask, give.ask_id, "ask") if give.ask_id else None
            if ask is not None and ask.is_open and ask.author == by:
                ask.fulfil(give_id=give.id, by=by)
            self.app.save(give, ask)

        # Confirming is idempotent in intent: a retry re-checks on fresh state.
        self.app.attempt(work, retry=True)

    def dispute(self, give_id: UUID | str, *, reason: str, by: UUID) -> None:
        self.authority.active(by)
        self.app.change(Give, give_id, "give", lambda g: g.dispute(reason=reason, by=by))

    def reverse(self, give_id: UUID | str, *, reason: str, by: UUID) -> None:
        """Cancel a give with a correcting entry; a steward's act."""
        self.app.load(Give, give_id, "give")  # 404 before 403 tells nothing secret here
        self.authority.check_steward(by, "reverse a give")
        self.app.change(Give, give_id, "give", lambda g: g.reverse(reason=reason, by=by))

    def history(self, give_id: UUID | str) -> list[dict[str, Any]]:
        """Return what happened to a give, oldest first: action, time, who, and reason."""
        give = self.app.load(Give, give_id, "give")
        return [
            {"action": type(e).__name__.lower(), "at": e.timestamp, "by": e.by,
             "reason": getattr(e, "reason", "")}
            for e in self.app.events.get(give.id)
        ]

    def get(self, give_id: UUID | str) -> dict[str, Any]:
        g = self.app.load(Give, give_id, "give")
        return {
            "id": g.id, "giver": g.giver, "receiver": g.receiver, "hours": g.hours,
            "description": g.description, "ask_id": g.ask_id, "offer_id": g.offer_id,
            "circle_id": g.circle_id, "status": g.status,
            "dispute_reason": g.dispute_reason, "reversal_reason": g.reversal_reason,
            "recorded_at": g.created_on,
        }
