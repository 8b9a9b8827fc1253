"""Joining, roles, profiles and leaving."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import OPERATOR, Authority
from domain.errors import ConcurrentChange, MemberAlreadyJoined, NotAllowed, NotFound
from domain.member import STEWARD, Member
from domain.values import member_id_for


class Members:
    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def add(self, *, email: str, name: str, business: str = "", steward: bool = False,
            by: UUID = OPERATOR) -> UUID:
        """Add a member to the network (a steward's act) and return their id."""
        self.authority.check_steward(by, "add members")
        member = Member.join(email=email, name=name, business=business, by=by)
        if self.app.exists(member.id):
            raise MemberAlreadyJoined(f"{member.email} is already a member")
        if steward:
            member.grant_role(role=STEWARD, by=by)
        try:
            self.app.save(member)
        except ConcurrentChange:
            # Someone added the same email in the same instant: it is one member.
            raise MemberAlreadyJoined(f"{member.email} is already a member") from None
        return member.id

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
