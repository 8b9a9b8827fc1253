"""Forming circles and admitting members to them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import OPERATOR, Authority
from domain.circle import Circle


class Circles:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def form(self, *, name: str, purpose: str = "", parent_id: UUID | str | None = None,
             by: UUID = OPERATOR) -> UUID:
        """Form a circle under the network or under ``parent_id``; a steward's act."""
        self.authority.check_steward(by, "form circles")
        parent = self.authority.circle(parent_id) if parent_id else None
        circle = Circle.form(name=name, purpose=purpose, parent=parent, by=by)
        self.app.save(circle)
        return circle.id

    def admit(self, circle_id: UUID | str, member_id: UUID | str, *, by: UUID = OPERATOR) -> None:
        """Admit an active member; a steward's act. Safe to retry after a race."""
        self.authority.check_steward(by, "admit members to circles")
        member = self.authority.active(member_id)

        def work() -> None:
            # Parent and circle are read afresh on every attempt, so a retry after a
            # lost race checks parent membership against the current state.
            circle = self.authority.circle(circle_id)
            parent = self.authority.circle(circle.parent_id) if circle.parent_id else None
            circle.admit(member_id=member.id, parent=parent, by=by)
            self.app.save(circle)

        self.app.attempt(work, retry=True)

    def depart(self, circle_id: UUID | str, member_id: UUID | str, *, by: UUID) -> None:
        """A member leaves a circle (or a steward records it)."""
        member = self.authority.member(member_id)
        if member.id != by:
            self.authority.check_steward(by, "remove another member from a circle")
        self.app.change(Circle, circle_id, "circle",
                        lambda c: c.depart(member_id=member.id, by=by), retry=True)

    def grant_mandate(self, circle_id: UUID | str, *, domain: str, decision: str,
                      by: UUID = OPERATOR) -> None:
        self.authority.check_steward(by, "grant mandates")
        self.app.change(Circle, circle_id, "circle",
                        lambda c: c.grant_mandate(domain=domain, decision=decision, by=by))

    def get(self, circle_id: UUID | str) -> dict[str, Any]:
        c = self.authority.circle(circle_id)
        return {
            "id": c.id, "name": c.name, "purpose": c.purpose, "parent_id": c.parent_id,
            "members": list(c.members), "mandates": [dict(m) for m in c.mandates],
            "formed_at": c.created_on,
        }
