"""A member of the network."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import MemberAlreadyJoined, MemberHasLeft, RoleUnchanged
from domain.values import clean_text, member_id_for, normalise_email

STEWARD = "steward"
ROLES = (STEWARD,)


class Member(CoopAggregate):
    """One person in the network, identified by their normalised email."""

    @staticmethod
    def create_id(email: str) -> UUID:  # type: ignore[override]
        return member_id_for(email)

    @classmethod
    def join(cls, *, email: str, name: str, business: str = "", by: UUID | None = None) -> Member:
        """Return a new member; ``by`` defaults to the member themself."""
        email = normalise_email(email)
        name = clean_text(name, "name", max_length=100)
        business = clean_text(business, "business", max_length=120, required=False)
        member_id = member_id_for(email)
        return cls._create(
            cls.Joined, id=member_id, email=email, name=name, business=business,
            by=by or member_id,
        )

    class Joined(CoopAggregate.Created):
        email: str
        name: str
        business: str
        by: UUID

    @event(Joined)
    def __init__(self, *, email: str, name: str, business: str, by: UUID):
        self.email = email
        self.name = name
        self.business = business
        self.about = ""
        self.roles: list[str] = []
        self.has_left = False

    @property
    def is_steward(self) -> bool:
        return STEWARD in self.roles

    def check_can_act(self) -> None:
        if self.has_left:
            raise MemberHasLeft(f"{self.name} has left the network and can no longer act")

    def update_profile(self, *, name: str, business: str, about: str, by: UUID) -> None:
        self.check_can_act()
        self._update_profile(
            name=clean_text(name, "name", max_length=100),
            business=clean_text(business, "business", max_length=120, required=False),
            about=clean_text(about, "about", max_length=2000, required=False),
            by=by,
        )

    @event("ProfileUpdated")
    def _update_profile(self, *, name: str, business: str, about: str, by: UUID) -> None:
        self.name, self.business, self.about = name, business, about

    def grant_role(self, *, role: str, by: UUID) -> None:
        self.check_can_act()
        if role not in ROLES:
            raise RoleUnchanged(f"'{role}' is not a role (roles: {', '.join(ROLES)})")
        if role in self.roles:
            raise RoleUnchanged(f"{self.name} is already a {role}")
        self._grant_role(role=role, by=by)

    @event("RoleGranted")
    def _grant_role(self, *, role: str, by: UUID) -> None:
        self.roles = sorted([*self.roles, role])

    def revoke_role(self, *, role: str, by: UUID) -> None:
        if role not in self.roles:
            raise RoleUnchanged(f"{self.name} is not a {role}")
        self._revoke_role(role=role, by=by)

    @event("RoleRevoked")
    def _revoke_role(self, *, role: str, by: UUID) -> None:
        self.roles = [r for r in self.roles if r != role]

    def leave(self, *, reason: str, by: UUID) -> None:
        self.check_can_act()
        self._leave(reason=clean_text(reason, "reason", max_length=500, required=False), by=by)

    @event("Left")
    def _leave(self, *, reason: str, by: UUID) -> None:
        self.has_left = True
        self.roles = []

    def rejoin(self, *, note: str = "", by: UUID) -> None:
        """Welcome back a member who left: the same member, history and all.

        Roles stay dropped (stewardship is granted again, deliberately), and the
        circles they were in are not part of the member: the services end those
        memberships on return, so each circle admits them again.
        """
        if not self.has_left:
            raise MemberAlreadyJoined(f"{self.name} is already a member and has not left")
        self._rejoin(note=clean_text(note, "note", max_length=500, required=False), by=by)

    @event("Rejoined")
    def _rejoin(self, *, note: str, by: UUID) -> None:
        self.has_left = False
