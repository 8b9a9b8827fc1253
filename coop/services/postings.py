"""Offers and asks: what members can give and what they need."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.authority import Authority
from domain.ask import Ask
from domain.errors import NotACircleMember
from domain.offer import Offer


class Postings:
    """Post, update and withdraw offers and asks."""

    def __init__(self, app: CoopApplication, authority: Authority) -> None:
        self.app, self.authority = app, authority

    def _check_may_post(self, circle_id: UUID | str | None, by: UUID) -> UUID | None:
        self.authority.active(by)
        if circle_id:
            return self.authority.circle_member(circle_id, by).id
        return None

    def post_offer(self, *, title: str, description: str = "", tags: object = None,
                   circle_id: UUID | str | None = None, by: UUID) -> UUID:
        circle = self._check_may_post(circle_id, by)
        offer = Offer.post(title=title, description=description, tags=tags,
                           circle_id=circle, by=by)
        self.app.save(offer)
        return offer.id

    def post_ask(self, *, title: str, description: str = "", tags: object = None,
                 circle_id: UUID | str | None = None, by: UUID) -> UUID:
        circle = self._check_may_post(circle_id, by)
        ask = Ask.post(title=title, description=description, tags=tags,
                       circle_id=circle, by=by)
        self.app.save(ask)
        return ask.id

    def update_offer(self, offer_id: UUID | str, *, title: str, description: str,
                     tags: object, by: UUID) -> None:
        self.authority.active(by)
        self.app.change(Offer, offer_id, "offer", lambda o: o.update(
            title=title, description=description, tags=tags, by=by))

    def update_ask(self, ask_id: UUID | str, *, title: str, description: str,
                   tags: object, by: UUID) -> None:
        self.authority.active(by)
        self.app.change(Ask, ask_id, "ask", lambda a: a.update(
            title=title, description=description, tags=tags, by=by))

    def withdraw_offer(self, offer_id: UUID | str, *, by: UUID) -> None:
        self.authority.active(by)
        self.app.change(Offer, offer_id, "offer", lambda o: o.withdraw(by=by))

    def withdraw_ask(self, ask_id: UUID | str, *, by: UUID) -> None:
        self.authority.active(by)
        self.app.change(Ask, ask_id, "ask", lambda a: a.withdraw(by=by))

    def view_offer(self, offer_id: UUID | str, *, by: UUID) -> dict[str, Any]:
        """Return an offer to a member who may see it (see ``_check_may_see``)."""
        return self._check_may_see(self.get_offer(offer_id), "offer", by)

    def view_ask(self, ask_id: UUID | str, *, by: UUID) -> dict[str, Any]:
        """Return an ask to a member who may see it (see ``_check_may_see``)."""
        return self._check_may_see(self.get_ask(ask_id), "ask", by)

    def _check_may_see(self, posting: dict[str, Any], kind: str, by: UUID) -> dict[str, Any]:
        # A posting made in a circle is for that circle's members (and its author).
        circle_id = posting["circle_id"]
        if circle_id and posting["author"] != by \
                and not self.authority.circle(circle_id).has_member(by):
            raise NotACircleMember(f"this {kind} is for the members of its circle only")
        return posting

    def get_offer(self, offer_id: UUID | str) -> dict[str, Any]:
        o = self.app.load(Offer, offer_id, "offer")
        return {**_posting(o), "withdrawn": o.withdrawn}

    def get_ask(self, ask_id: UUID | str) -> dict[str, Any]:
        a = self.app.load(Ask, ask_id, "ask")
        return {**_posting(a), "withdrawn": a.withdrawn, "fulfilled_by": a.fulfilled_by}


def _posting(p: Offer | Ask) -> dict[str, Any]:
    return {
        "id": p.id, "author": p.author, "title": p.title, "description": p.description,
        "tags": list(p.tags), "circle_id": p.circle_id, "posted_at": p.created_on,
    }
