"""Browsing offers and asks: the list page both blueprints of web/postings.py share."""

from __future__ import annotations

import functools
from typing import Any

from flask import render_template
from marshmallow import fields

from projections.board import ANY, STATUSES
from web.auth import member_id, network
from web.forms import identifier
from web.listing import PageArgs, choice, found, paging, read_args, tag_field

STATUS_LABELS = {"open": "Open", "fulfilled": "Fulfilled", "withdrawn": "Withdrawn",
                 ANY: "Any status"}


@functools.cache
def browse_schema(kind: str) -> type[PageArgs]:
    """Return the schema of the browse page's filters for offers or asks."""
    fields_ = {
        "circle": identifier("the circle"),
        "tag": tag_field(),
        "status": choice("the status", (*STATUSES[kind], ANY), default="open"),
        "author": identifier("the member"),
        "mine": fields.Boolean(load_default=False, truthy={"1", "on", "yes", "true"},
                               falsy={"0", "off", "no", "false"},
                               error_messages={"invalid": "'mine' is either on or off"}),
    }
    return PageArgs.from_dict(fields_, name=f"Browse{kind.capitalize()}s")


def browse_page(kind: str, words: dict[str, str]) -> tuple[str, int]:
    """Render one page of offers or asks for the signed-in member, as the filters ask."""
    net = network()
    me = str(member_id())
    args = read_args(browse_schema(kind)())
    circles = net.directory.circle_choices()
    data = args.data
    if not args.errors and data.get("circle") and all(
            c["id"] != data["circle"] for c in circles):
        args.errors["circle"] = f"there is no circle with id '{data['circle']}'"
        args.status = 400
    mine = set(net.directory.circle_ids_of(me))
    context: dict[str, Any] = {
        "words": words, "args": args, "tags": net.board.tags(kind),
        "circles": [c for c in circles if str(c["id"]) in mine],
        "statuses": [(s, STATUS_LABELS[s]) for s in (*STATUSES[kind], ANY)],
    }
    if args.errors:
        return render_template("postings/index.html", page=None, **context), 400
    author = me if data.get("mine") else data.get("author")
    page = found(net.board.browse(
        kind, paging(args), viewer=me, circle_id=data.get("circle"), tag=data.get("tag"),
        status=data["status"], author_id=str(author) if author else None))
    if author and author != me:
        context["author"] = net.directory.member(author)
    return render_template("postings/index.html", page=page, **context), 200
