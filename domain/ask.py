"""An ask: a member asking the network for help."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import CoopAggregate
from domain.errors import AlreadyWithdrawn, AskAlreadyFulfilled, NotTheAuthor
from domain.values import clean_posting


class Ask(CoopAggregate):
    """Help a member needs; once fulfilled by a give it stays fulfilled."""

    @classmethod
    def post(cls, *, title: str, description: str, tags: object = None,
             circle_id: UUID | None = None, by: UUID) -> Ask:
        return cls._create(
            cls.Posted, author=by, circle_id=circle_id, by=by,
            **clean_posting(title, description, tags),
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
        self.fulfilled_by: UUID | None = None

    @property
    def is_open(self) -> bool:
        return not self.withdrawn and self.fulfilled_by is None

    def check_is_open(self) -> None:
        if self.fulfilled_by is not None:
            raise AskAlreadyFulfilled("this ask has been fulfilled and stays fulfilled")
        if self.withdrawn:
            raise AlreadyWithdrawn("this ask has been withdrawn")

    def check_author(self, member_id: UUID) -> None:
        if member_id != self.author:
            raise NotTheAuthor("only the member who posted this ask may change it")

    def update(self, *, title: str, description: str, tags: object, by: UUID) -> None:
        self.check_author(by)
        self.check_is_open()
        self._update(by=by, **clean_posting(title, description, tags))

    @event("Updated")
    def _update(self, *, title: str, description: str, tags: list[str], by: UUID) -> None:
        self.title, self.description, self.tags = title, description, tags

    def withdraw(self, *, by: UUID) -> None:
        self.check_author(by)
        self.check_is_open()
        self._withdraw(by=by)

    @event("Withdrawn")
    def _withdraw(self, *, by: UUID) -> None:
        self.withdrawn = True

    def fulfil(self, *, give_id: UUID, by: UUID) -> None:
        """Mark the ask fulfilled by a give; only the asker decides it is."""
        self.check_author(by)
        self.check_is_open()
        self._fulfil(give_id=give_id, by=by)

    @event("Fulfilled")
    def _fulfil(self, *, give_id: UUID, by: UUID) -> None:
        self.fulfilled_by = give_id
