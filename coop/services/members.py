"""Joining, roles, profiles, leaving and coming back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from coop.application import CoopApplication
from coop.services.authority import OPERATOR, Authority
from coop.services.ballot_log import notifications
from domain.circle import Circle
from domain.errors import ConcurrentChange, MemberAlreadyJoined, NotAllowed, NotFound
from domain.member import STEWARD, Member
from domain.values import member_id_for

CIRCLE_FORMED = (get_topic(Circle.Formed),)


class Members:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def add(self, *, email: str, name: str, business: str = "", steward: bool = False,
            by: UUID = OPERATOR) -> UUID:
        """Add a member to the network (a steward's act) and return their id."""
        self.authority.check_steward(by, "add members")
        member = Member.join(email=email, name=name, business=business, by=by)
        if self.app.exists(member.id):
            self._refuse_second_joining(member.id, member.email)
        if steward:
            member.grant_role(role=STEWARD, by=by)
        try:
            self.app.save(member)
        except ConcurrentChange:
            # Someone added the same email in the same instant: it is one member.
            raise MemberAlreadyJoined(f"{member.email} is already a member") from None
        return member.id

    def _refuse_second_joining(self, member_id: UUID, email: str) -> None:
        """Refuse to add an email twice; one who left is welcomed back instead, so
        they keep their one id and their history."""
        absences = self.absences(member_id)
        if absences and absences[-1]["rejoined_at"] is None:
            raise MemberAlreadyJoined(
                f"{email} left the network on {absences[-1]['left_at']:%-d %B %Y}: welcome "
                f"them back instead of adding them again ('coop member rejoin {email}', "
                "or 'Welcome back' on their page)")
        raise MemberAlreadyJoined(f"{email} is already a member")

    def id_for_email(self, email: str) -> UUID:
        """Return the id of the member with that email, or NotFound."""
        member_id = member_id_for(email)
        if not self.app.exists(member_id):
            raise NotFound(f"no member with email '{email.strip()}'")
        return member_id

    def get(self, member_id: UUID | str) -> dict[str, Any]:
        m = self.authority.member(member_id)
        return {
            "id": m.id, "email": m.email, "name": m.name, "business": m.business,
            "about": m.about, "roles": list(m.roles), "has_left": m.has_left,
            "joined_at": m.created_on,
        }

    def grant_steward(self, member_id: UUID | str, *, by: UUID = OPERATOR) -> None:
        self.authority.check_steward(by, "make stewards")
        self.app.change(Member, member_id, "member",
                        lambda m: m.grant_role(role=STEWARD, by=by))

    def revoke_steward(self, member_id: UUID | str, *, by: UUID = OPERATOR) -> None:
        self.authority.check_steward(by, "revoke stewards")
        self.app.change(Member, member_id, "member",
                        lambda m: m.revoke_role(role=STEWARD, by=by))

    def update_profile(self, member_id: UUID | str, *, name: str, business: str, about: str,
                       by: UUID) -> None:
        """Change a profile; members edit only their own."""
        member = self.authority.member(member_id)
        if member.id != by:
            raise NotAllowed("members edit only their own profile")
        self.app.change(Member, member.id, "member", lambda m: m.update_profile(
            name=name, business=business, about=about, by=by))

    def leave(self, member_id: UUID | str, *, reason: str = "", by: UUID) -> None:
        """Record that a member left: their own choice, or a steward's act."""
        member = self.authority.member(member_id)
        if member.id != by:
            self.authority.check_steward(by, "record that another member left")
        self.app.change(Member, member.id, "member", lambda m: m.leave(reason=reason, by=by))

    def rejoin(self, member_id: UUID | str, *, note: str = "",
               by: UUID = OPERATOR) -> list[dict[str, Any]]:
        """Welcome back a member who left; a steward's act. Return the circles
        (id and name) whose membership of theirs ended on their return.

        They come back as the same member, their history intact. Their roles are not
        restored, and neither are their circles: leaving the network leaves a member
        listed in their circles (inert, and in no electorate), so those memberships
        end now, in the same transaction, and each circle admits them again when it
        wants them. Safe to retry after a race: on fresh state it either welcomes them
        back or says that someone else already did.
        """
        self.authority.check_steward(by, "welcome back a member who left")
        returning = self.authority.member(member_id).id

        def work() -> list[dict[str, Any]]:
            member = self.authority.member(returning)
            member.rejoin(note=note, by=by)
            circles = self._circles_listing(returning)
            for circle in circles:
                circle.depart(member_id=returning, by=by)
            self.app.save(member, *circles)
            return [{"id": c.id, "name": c.name} for c in circles]

        return self.app.attempt(work, retry=True)

    def absences(self, member_id: UUID | str) -> list[dict[str, Any]]:
        """Return the member's times away, oldest first: ``left_at`` and
        ``rejoined_at`` (None while they are still away)."""
        member = self.authority.member(member_id)
        away: list[dict[str, Any]] = []
        for e in self.app.events.get(member.id):
            if isinstance(e, Member.Left):
                away.append({"left_at": e.timestamp, "rejoined_at": None})
            elif isinstance(e, Member.Rejoined) and away:
                away[-1]["rejoined_at"] = e.timestamp
        return away

    def _circles_listing(self, member_id: UUID) -> list[Circle]:
        """Return the circles whose members include ``member_id``.

        No aggregate lists a member's circles, so this reads every circle: the ids
        from the log's Formed events (one pass over the log), then each circle.
        Coming back is rare; the read models are not asked because a write must not
        depend on how far a projector has got.
        """
        found = []
        for notification in notifications(self.app, CIRCLE_FORMED):
            circle = self.authority.circle(notification.originator_id)
            if circle.has_member(member_id):
                found.append(circle)
        return found
