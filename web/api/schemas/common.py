"""What the API's schemas share: fields that call the domain's value rules, exact
figures as text, references to members and circles, pages of a list, problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from domain.errors import InvalidValue
from domain.values import CURRENCY_MINOR_UNITS, clean_currency, clean_tags, clean_text
from projections.listing import MAX_PAGE, PAGE_SIZE

MAX_PER_PAGE = 100
HOURS_PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,2})?$"
MONEY_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,3})?$"


class Body(Schema):
    """A request body: unknown fields are refused (a typo should not pass silently)."""


class Query(Schema):
    """A query string: unknown parameters are ignored."""

    class Meta:
        unknown = EXCLUDE


class Cleaned(fields.Field):
    """A field the domain cleans; its refusal becomes the field's message."""

    accepts: tuple[type, ...] = (str,)
    refusal = "must be text"

    def __init__(self, clean: Callable[[Any], Any], *, openapi: dict[str, Any],
                 **kwargs: Any) -> None:
        super().__init__(metadata=openapi, **kwargs)
        self.clean = clean

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, self.accepts) or isinstance(value, bool):
            raise ValidationError(self.refusal)
        try:
            return self.clean(value)
        except InvalidValue as error:
            raise ValidationError(str(error)) from None


class TagList(Cleaned):
    accepts = (list, str)
    refusal = "must be a list of tags"


class Exact(Cleaned):
    # JSON numbers arrive as int or Decimal, never float (web/api/spec.py).
    accepts = (str, int, Decimal)
    refusal = "must be a number written as text, e.g. \"1.5\""


def text(label: str, max_length: int, *, required: bool = True,
         example: str | None = None) -> Cleaned:
    """Return a text field with the domain's limits and wording."""
    extra: dict[str, Any] = {"required": True} if required else {"load_default": ""}
    openapi: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if example:
        openapi["example"] = example
    return Cleaned(lambda v: clean_text(v, label, max_length=max_length, required=required),
                   openapi=openapi, **extra)


def exact(parse: Callable[[Any], Any], pattern: str, example: str,
          **kwargs: Any) -> Cleaned:
    """Return a field for an exact figure (hours, money) given as text, e.g. "1.5"."""
    return Exact(parse, openapi={"type": "string", "pattern": pattern, "example": example},
                 **kwargs)


def currency(**kwargs: Any) -> Cleaned:
    return Cleaned(clean_currency, openapi={"type": "string", "example": "EUR",
                                            "enum": sorted(CURRENCY_MINOR_UNITS)}, **kwargs)


def tags() -> TagList:
    return TagList(clean_tags, load_default=list, openapi={
        "type": "array", "maxItems": 10,
        "items": {"type": "string", "maxLength": 30, "example": "baking"}})


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_controls(value: str) -> None:
    """Refuse control characters (PostgreSQL cannot even compare text holding NUL)."""
    if _CONTROL.search(value):
        raise ValidationError("must not contain control characters")


def identifier(what: str, **kwargs: Any) -> fields.UUID:
    return fields.UUID(error_messages={"invalid_uuid": f"not a valid {what} id"}, **kwargs)


class Figure(fields.Decimal):
    """An exact figure, written as text ("1.50") so no client reads it as a float."""

    def __init__(self, *, metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(as_string=True, metadata={
            "type": "string", "format": "decimal", "example": "1.50", **(metadata or {})},
            **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")


class Ref(Schema):
    """A member or a circle, named."""

    id = fields.UUID(required=True)
    name = fields.String(required=True)


def ref(**kwargs: Any) -> fields.Nested:
    return fields.Nested(Ref, **kwargs)


# Pages of a list


class PageQuery(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE), metadata={
        "description": "Which page, from 1."})
    per_page = fields.Integer(load_default=PAGE_SIZE, validate=validate.Range(1, MAX_PER_PAGE),
                              metadata={"description": "How many items a page holds."})


_pages: dict[str, type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """Return the schema of a page of ``item``s (one class per item schema)."""
    name = item.__name__.removesuffix("Schema") + "Page"
    if name not in _pages:
        _pages[name] = Schema.from_dict({
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "has_next": fields.Boolean(required=True),
            "next": fields.String(required=True, allow_none=True, metadata={
                "description": "The address of the next page, or null on the last."}),
        }, name=name)
    return _pages[name]


# Problems


class ProblemSchema(Schema):
    """A problem detail (RFC 9457)."""

    type = fields.String(required=True, metadata={"example": "urn:coop:problem:not-found"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "For invalid input: the messages for each field."})
