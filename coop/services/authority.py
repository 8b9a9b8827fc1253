"""Who may do what: the one place object-level authorization is decided."""

from __future__ import annotations

from uuid import UUID

from coop.application import CoopApplication
from domain.circle import Circle
from domain.errors import NotASteward
from domain.member import Member

# The operator at the command line: whoever runs `coop` on the server already holds
# the database, so the CLI acts with a steward's rights under this fixed id.
OPERATOR = UUID(int=0)


class Authority:
    """Answers "may this member do this to that?" for the services."""

    def __init__(self, app: CoopApplication) -> None:
        self.app = app

    def member(self, member_id: UUID | str) -> Member:
        """Return an existing member, or NotFound."""
        return self.app.load(Member, member_id, "member")

    def active(self, member_id: UUID | str) -> Member:
        """Return the acting member, refusing one who has left."""
        member = self.member(member_id)
        member.check_can_act()
        return member

    def is_steward(self, member_id: UUID) -> bool:
        if member_id == OPERATOR:
            return True
        return self.active(member_id).is_steward

    def check_steward(self, by: UUID, doing: str) -> None:
        if not self.is_steward(by):
            raise NotASteward(f"only a steward may {doing}")

    def circle(self, circle_id: UUID | str) -> Circle:
        return self.app.load(Circle, circle_id, "circle")

    def circle_member(self, circle_id: UUID | str, member_id: UUID) -> Circle:
        """Return the circle if the (active) member belongs to it, else NotACircleMember."""
        circle = self.circle(circle_id)
        self.active(member_id)
        circle.check_is_member(member_id)
        return circle
