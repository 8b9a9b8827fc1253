"""Delegating one's vote within a circle, and revoking it."""

from __future__ import annotations

from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import Authority
from domain.delegation import Delegation
from domain.errors import NotFound


class Delegations:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def _existing(self, circle_id: UUID, delegator: UUID) -> Delegation | None:
        try:
            return self.app.load(Delegation, Delegation.create_id(circle_id, delegator),
                                 "delegation")
        except NotFound:
            return None

    def grant(self, circle_id: UUID | str, delegate_id: UUID | str, *, by: UUID) -> UUID:
        """Delegate the acting member's vote in a circle to another member of it.

        It counts on the proposals whose rules allow delegation, as it stands when
        each closes; voting directly on a proposal overrides it there.
        """
        circle = self.authority.circle_member(circle_id, by)
        delegate = self.authority.active(delegate_id)
        circle.check_is_member(delegate.id)

        def work() -> UUID:
            delegation = self._existing(circle.id, by)
            if delegation is None:
                delegation = Delegation.grant(circle_id=circle.id, delegator=by,
                                              delegate=delegate.id, by=by)
            else:
                delegation.regrant(delegate=delegate.id, by=by)
            self.app.save(delegation)
            return delegation.id

        return self.app.attempt(work, retry=False)

    def revoke(self, circle_id: UUID | str, *, by: UUID) -> None:
        circle = self.authority.circle(circle_id)
        self.authority.active(by)
        delegation = self._existing(circle.id, by)
        if delegation is None:
            raise NotFound("your vote is not delegated in this circle")
        delegation.revoke(by=by)
        self.app.save(delegation)

    def delegate_of(self, circle_id: UUID | str, member_id: UUID | str) -> UUID | None:
        """Return the member to whom this member's vote in the circle is delegated."""
        circle = self.authority.circle(circle_id)
        member = self.authority.member(member_id)
        delegation = self._existing(circle.id, member.id)
        return delegation.delegate if delegation else None
