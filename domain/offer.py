"""An offer: a member's standing "I can help with ..."."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import AlreadyWithdrawn, NotTheAuthor
from domain.values import clean_posting


class Offer(CoopAggregate):
    """Help a member stands ready to give, optionally within one circle."""

    @classmethod
    def post(cls, *, title: str, description: str, tags: object = None,
             circle_id: UUID | None = None, by: UUID) -> Offer:
        return cls._create(
            cls.Posted,
            author=by,
            circle_id=circle_id,
            **clean_posting(title, description, tags),
            by=by,
        )

    class Posted(CoopAggregate.Created):
        author: UUID
        title: str
        description: str
        tags: list[str]
        circle_id: UUID | None
        by: UUID

    @event(Posted)
    def __init__(self, *, author: UUID, title: str, description: str, tags: list[str],
                 circle_id: UUID | None, by: UUID):
        self.author = author
        self.title = title
        self.description = description
        self.tags = tags
        self.circle_id = circle_id
        self.withdrawn = False

    def check_is_open_to(self, member_id: UUID) -> None:
        if member_id != self.author:
            raise NotTheAuthor("only the member who posted this offer may change it")
        if self.withdrawn:
            raise AlreadyWithdrawn("this offer has been withdrawn")

    def update(self, *, title: str, description: str, tags: object, by: UUID) -> None:
        self.check_is_open_to(by)
        self._update(by=by, **clean_posting(title, description, tags))

    @event("Updated")
    def _update(self, *, title: str, description: str, tags: list[str], by: UUID) -> None:
        self.title, self.description, self.tags = title, description, tags

    def withdraw(self, *, by: UUID) -> None:
        self.check_is_open_to(by)
        self._withdraw(by=by)

    @event("Withdrawn")
    def _withdraw(self, *, by: UUID) -> None:
        self.withdrawn = True
