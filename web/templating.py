"""What every template may use: the navigation, names of members and circles, formats."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Flask, current_app, g, request, url_for

from coop.services.authority import OPERATOR
from domain.errors import NotFound
from web.auth import is_steward, network

# Each area links to its list when that page exists, else to its main action; areas
# with no page yet are left out (ledger, circles and members come with the read models).
NAV: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Dashboard", ("dashboard.index",)),
    ("Offers", ("offers.index", "offers.new")),
    ("Asks", ("asks.index", "asks.new")),
    ("Gives", ("gives.index", "gives.new")),
    ("Referrals", ("referrals.index", "referrals.new")),
    ("Ledger", ("ledger.index",)),
    ("Decisions", ("decisions.index",)),
    ("Circles", ("directory.circles",)),
    ("Members", ("directory.members",)),
    ("Audit", ("audit.index",)),
)
# Areas whose pages live in several blueprints, or share one with another area: the
# endpoint prefixes that make them current.
CURRENT: dict[str, tuple[str, ...]] = {
    "Ledger": ("ledger.", "distributions."),
    "Circles": ("directory.circle",),
    "Members": ("directory.members", "members."),
    "Decisions": ("decisions.", "proposals.", "ballots.", "delegations."),
}


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav=nav, member_name=member_name, member_email=member_email, circle_name=circle_name, is_steward=is_steward,
    )
    app.jinja_env.filters.update(sentence=sentence, when=when, hours=hours)


def nav() -> list[dict[str, Any]]:
    """Return the main navigation: label, address and whether it is the current area."""
    items = []
    for label, endpoints in NAV:
        endpoint = next((e for e in endpoints if e in current_app.view_functions), None)
        if endpoint is None:
            continue
        area = endpoint.partition(".")[0]
        prefixes = CURRENT.get(label)
        current = (any((request.endpoint or "").startswith(p) for p in prefixes) if prefixes
                   else request.blueprint == area)
        items.append({"label": label, "url": url_for(endpoint), "current": current})
    return items


def member_name(member_id: UUID | str | None) -> str:
    """Return a member's name for display."""
    return _member(member_id)["name"]


def member_email(member_id: UUID | str | None) -> str:
    return _member(member_id)["email"]


def _member(member_id: UUID | str | None) -> dict[str, str]:
    """Return a member's name and email, remembered for the rest of the request."""
    if member_id is None:
        return {"name": "", "email": ""}
    found = g.setdefault("members_shown", {})
    if member_id not in found:
        if member_id == OPERATOR:
            found[member_id] = {"name": "the network's operator", "email": ""}
        else:
            try:
                m = network().members.get(member_id)
                found[member_id] = {"name": m["name"], "email": m["email"]}
            except NotFound:
                found[member_id] = {"name": "a former member", "email": ""}
    return found[member_id]  # type: ignore[no-any-return]


def circle_name(circle_id: UUID | str | None) -> str:
    if circle_id is None:
        return ""
    names = g.setdefault("circle_names", {})
    if circle_id not in names:
        try:
            names[circle_id] = network().circles.get(circle_id)["name"]
        except NotFound:
            names[circle_id] = "an unknown circle"
    return names[circle_id]  # type: ignore[no-any-return]


def sentence(message: str) -> str:
    """Return a domain message as a sentence: capital first letter, closing full stop."""
    message = str(message).strip()
    if not message:
        return ""
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?" else message + "."


def when(moment: datetime | None) -> str:
    return f"{moment:%-d %B %Y, %H:%M} UTC" if moment else ""


def hours(value: Decimal) -> str:
    """Return hours without needless zeros: 2, 1.5, 0.25."""
    text = f"{value.normalize():f}"
    return f"{text} hour" if value == 1 else f"{text} hours"
