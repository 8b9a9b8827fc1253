"""A circle: a local chapter or working group to which decisions are devolved."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import AlreadyInCircle, NotACircleMember, NotInParentCircle
from domain.values import clean_text


class Circle(CoopAggregate):
    """A group of members; ``parent_id`` None means it sits directly under the network."""

    @classmethod
    def form(cls, *, name: str, purpose: str, parent: Circle | None, by: UUID) -> Circle:
        """Return a new circle, nested under ``parent`` when one is given."""
        return cls._create(
            cls.Formed,
            name=clean_text(name, "circle name", max_length=80),
            purpose=clean_text(purpose, "purpose", max_length=1000, required=False),
            parent_id=parent.id if parent else None,
            by=by,
        )

    class Formed(CoopAggregate.Created):
        name: str
        purpose: str
        parent_id: UUID | None
        by: UUID

    @event(Formed)
    def __init__(self, *, name: str, purpose: str, parent_id: UUID | None, by: UUID):
        self.name = name
        self.purpose = purpose
        self.parent_id = parent_id
        self.members: list[UUID] = []
        self.mandates: list[dict[str, str]] = []

    def has_member(self, member_id: UUID) -> bool:
        return member_id in self.members

    def check_is_member(self, member_id: UUID) -> None:
        if member_id not in self.members:
            raise NotACircleMember(f"only members of the circle '{self.name}' may do that")

    def admit(self, *, member_id: UUID, parent: Circle | None, by: UUID) -> None:
        """Admit a member; in a nested circle they must belong to the parent circle."""
        if member_id in self.members:
            raise AlreadyInCircle(f"already a member of '{self.name}'")
        if self.parent_id is not None:
            if parent is None or parent.id != self.parent_id:
                raise ValueError("admit() needs this circle's parent circle")  # programming error
            if not parent.has_member(member_id):
                raise NotInParentCircle(
                    f"to join '{self.name}' one must first be a member of '{parent.name}'"
                )
        self._admit(member_id=member_id, by=by)

    @event("MemberAdmitted")
    def _admit(self, *, member_id: UUID, by: UUID) -> None:
        self.members = [*self.members, member_id]

    def depart(self, *, member_id: UUID, by: UUID) -> None:
        self.check_is_member(member_id)
        self._depart(member_id=member_id, by=by)

    @event("MemberDeparted")
    def _depart(self, *, member_id: UUID, by: UUID) -> None:
        self.members = [m for m in self.members if m != member_id]

    def grant_mandate(self, *, domain: str, decision: str, by: UUID) -> None:
        """Record the domain this circle may decide on, citing the granting decision."""
        self._grant_mandate(
            domain=clean_text(domain, "mandate domain", max_length=300),
            decision=clean_text(decision, "granting decision", max_length=300),
            by=by,
        )

    @event("MandateGranted")
    def _grant_mandate(self, *, domain: str, decision: str, by: UUID) -> None:
        self.mandates = [*self.mandates, {"domain": domain, "decision": decision}]
