"""What every list page shares: its query string read through a schema, and paging.

A list's filters are a GET form. Bad values (a page that is not a number, a date
that is not a date, a tag that cannot be one) answer 400 with the message beside
the field; a page past the end of the list answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Flask, current_app, request, url_for
from markupsafe import Markup
from marshmallow import fields, validate

from domain.errors import NotFound
from domain.values import clean_tags
from projections.listing import MAX_PAGE, PAGE_SIZE, Page, Paging
from web.forms import Cleaned, Form, FormSchema, identifier


def page_field() -> fields.Integer:
    """Return the ``page`` field every list's query string has."""
    message = f"the page number must be a whole number from 1 to {MAX_PAGE}"
    return fields.Integer(load_default=1, strict=False,
                          validate=validate.Range(1, MAX_PAGE, error=message),
                          error_messages={"invalid": message})


def choice(label: str, values: tuple[str, ...], default: str | None = None) -> fields.String:
    """Return a field taking one of ``values``."""
    return fields.String(load_default=default, validate=validate.OneOf(
        values, error=f"{label} must be one of: {', '.join(values)}"))


def one_tag(value: Any) -> str:
    """Return one cleaned tag."""
    tags = clean_tags([value])
    return tags[0] if tags else ""


class PageArgs(FormSchema):
    page = page_field()


class CircleArgs(PageArgs):
    circle = identifier("the circle")


def tag_field() -> Cleaned:
    return Cleaned(one_tag, "the tag", load_default=None)


def read_args(schema: FormSchema, args: Mapping[str, Any] | None = None) -> Form:
    """Return the query string read through ``schema`` (check ``form.errors``)."""
    form = Form(schema, request.args if args is None else args)
    form.validate()
    return form


def paging(form: Form, size: int = PAGE_SIZE) -> Paging:
    return Paging(form.data.get("page") or 1, size)


def found(page: Page[Any]) -> Page[Any]:
    """Return the page, or NotFound when it lies past the end of its list."""
    if page.number > 1 and not page.items:
        raise NotFound(f"there is no page {page.number} of this list; it has fewer pages")
    return page


def page_url(number: int, anchor: str | None = None) -> str:
    """Return this page's address with ``page`` set to ``number``, other filters kept."""
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    if number > 1:
        args["page"] = str(number)
    return url_for(request.endpoint or "dashboard.index", **(request.view_args or {}), **args,
                   _anchor=anchor)


def figure(value: Decimal | int | None) -> str:
    """Return a figure without needless zeros (2, 1.5, 0.25, -3); none as a dash."""
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def signed(value: Decimal) -> str:
    """Return a change with its sign: +2, −1.5."""
    return figure(value) if value <= 0 else f"+{figure(value)}"


# Stands for the id while an address is built once; no real id is all zeros.
_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def href(endpoint: str, **value: Any) -> str:
    """Return the address of one thing's page, for an endpoint that takes one id.

    The same as ``url_for``, built once per endpoint and then filled in: a list page
    links to dozens of members, gives and asks.
    """
    (name, thing), = value.items()
    key = (endpoint, name, request.blueprint, request.script_root)
    cache = current_app.extensions.setdefault("coop.hrefs", {})
    shape = cache.get(key)
    if shape is None:
        shape = cache[key] = url_for(endpoint, **{name: UUID(_PLACEHOLDER)})
    return str(shape.replace(_PLACEHOLDER, str(UUID(str(thing)))))


def member_link(person: Mapping[str, Any] | None) -> Markup:
    """Return a link to a member's page ({"id", "name"}); no id: the operator acted."""
    if not person or not person.get("id"):
        return Markup("the network's operator")
    return Markup('<a href="{}">{}</a>').format(
        href("members.show", member_ref=person["id"]), person.get("name") or "a former member")


def circle_link(circle: Mapping[str, Any] | None) -> Markup:
    """Return a link to a circle's page ({"id", "name"}), or nothing."""
    if not circle:
        return Markup("")
    return Markup('<a href="{}">{}</a>').format(
        href("directory.circle", circle_id=circle["id"]), circle.get("name", ""))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(page_url=page_url, href=href, member_link=member_link,
                                 circle_link=circle_link)
    app.jinja_env.filters.update(figure=figure, signed=signed)
