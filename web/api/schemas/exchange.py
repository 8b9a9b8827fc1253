"""Offers, asks, gives and referrals: what members exchange."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.give import CONFIRMED, DISPUTED, PENDING, REVERSED
from domain.referral import ACCEPTED, CLOSED, DECLINED, LOST, MADE
from domain.errors import InvalidValue
from domain.values import clean_tags, parse_hours, parse_money
from projections.activity_queries import GIVE_ROLES, REFERRAL_ROLES
from projections.board import ANY
from projections.postings import FULFILLED, OPEN, WITHDRAWN
from web.api.schemas.common import (
    HOURS_PATTERN,
    MONEY_PATTERN,
    Body,
    Cleaned,
    Figure,
    PageQuery,
    currency,
    exact,
    identifier,
    ref,
    tags,
    text,
)

POSTING_STATUSES = (OPEN, FULFILLED, WITHDRAWN)
GIVE_STATUSES = (PENDING, CONFIRMED, DISPUTED, REVERSED)
REFERRAL_STATUSES = (MADE, ACCEPTED, DECLINED, CLOSED, LOST)


def one_of(values: tuple[str, ...], **kwargs: object) -> fields.String:
    return fields.String(validate=validate.OneOf(values), **kwargs)  # type: ignore[arg-type]


# Offers and asks


class PostingSummarySchema(Schema):
    id = fields.UUID(required=True)
    kind = one_of(("offer", "ask"), required=True)
    title = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    author = ref(required=True)
    circle = ref(required=True, allow_none=True)
    status = one_of(POSTING_STATUSES, required=True)
    posted_at = fields.DateTime(required=True)
    answers = fields.Integer(required=True, metadata={
        "description": "How many gives were recorded answering it."})


class PostingSchema(Schema):
    id = fields.UUID(required=True)
    kind = one_of(("offer", "ask"), required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    author = fields.UUID(required=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    status = one_of(POSTING_STATUSES, required=True)
    posted_at = fields.DateTime(required=True)
    fulfilled_by = fields.UUID(allow_none=True, metadata={
        "description": "Asks only: the give that fulfilled it."})


class PostingsQuery(PageQuery):
    circle = identifier("circle", load_default=None, metadata={
        "description": "Only those posted in this circle."})
    status = fields.String(load_default=OPEN, validate=validate.OneOf((*POSTING_STATUSES, ANY)),
                           metadata={"description": "open (default), fulfilled (asks), "
                                                    "withdrawn or any."})
    tag = Cleaned(lambda v: (clean_tags([v]) or [None])[0], load_default=None, openapi={
        "type": "string", "maxLength": 30, "description": "Only those with this tag."})
    author = identifier("member", load_default=None, metadata={
        "description": "Only this member's."})


class NewPostingSchema(Body):
    title = text("title", 120, example="Sourdough baking lessons")
    description = text("description", 4000, required=False)
    tags = tags()
    circle_id = identifier("circle", load_default=None, allow_none=True)


# Gives


class GiveEventSchema(Schema):
    action = fields.String(required=True, metadata={"example": "confirmed"})
    at = fields.DateTime(required=True)
    by = fields.UUID(required=True)
    reason = fields.String(required=True)


class GiveSchema(Schema):
    id = fields.UUID(required=True)
    giver = fields.UUID(required=True)
    receiver = fields.UUID(required=True)
    hours = Figure(required=True)
    description = fields.String(required=True)
    ask_id = fields.UUID(required=True, allow_none=True)
    offer_id = fields.UUID(required=True, allow_none=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    status = one_of(GIVE_STATUSES, required=True)
    dispute_reason = fields.String(required=True)
    reversal_reason = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    history = fields.List(fields.Nested(GiveEventSchema), required=True)


class GiveLineSchema(Schema):
    """A give as the caller's list shows it."""

    id = fields.UUID(required=True)
    role = one_of(GIVE_ROLES, required=True)
    hours = Figure(required=True)
    description = fields.String(required=True)
    status = one_of(GIVE_STATUSES, required=True)
    at = fields.DateTime(required=True)
    counterparty = ref(required=True)
    circle = ref(required=True, allow_none=True)


class GivesQuery(PageQuery):
    role = fields.String(load_default=None, validate=validate.OneOf(GIVE_ROLES))
    status = fields.String(load_default=None, validate=validate.OneOf(GIVE_STATUSES))
    waiting = fields.Boolean(load_default=False, metadata={
        "description": "Only those the caller received and has yet to confirm."})


class NewGiveSchema(Body):
    receiver_id = identifier("member", required=True)
    hours = exact(parse_hours, HOURS_PATTERN, "1.5", required=True)
    description = text("description", 1000, example="Fixed the oven")
    ask_id = identifier("ask", load_default=None, allow_none=True)
    offer_id = identifier("offer", load_default=None, allow_none=True)
    circle_id = identifier("circle", load_default=None, allow_none=True)


class ReasonSchema(Body):
    reason = text("reason", 1000)


# Referrals


class ReferralSchema(Schema):
    id = fields.UUID(required=True)
    referrer = fields.UUID(required=True)
    receiver = fields.UUID(required=True)
    prospect = fields.String(required=True)
    need = fields.String(required=True)
    warmth = fields.Integer(required=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    status = one_of(REFERRAL_STATUSES, required=True)
    value = Figure(required=True, allow_none=True)
    currency = fields.String(required=True, allow_none=True)
    thanked = fields.Boolean(required=True)
    made_at = fields.DateTime(required=True)


class ReferralLineSchema(Schema):
    id = fields.UUID(required=True)
    role = one_of(REFERRAL_ROLES, required=True)
    prospect = fields.String(required=True)
    warmth = fields.Integer(required=True)
    status = one_of(REFERRAL_STATUSES, required=True)
    thanked = fields.Boolean(required=True)
    made_at = fields.DateTime(required=True)
    changed_at = fields.DateTime(required=True)
    counterparty = ref(required=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    value = Figure(required=True, allow_none=True)
    currency = fields.String(required=True, allow_none=True)


class ReferralsQuery(PageQuery):
    role = fields.String(load_default=None, validate=validate.OneOf(REFERRAL_ROLES))
    status = fields.String(load_default=None, validate=validate.OneOf(REFERRAL_STATUSES))
    waiting = fields.Boolean(load_default=False, metadata={
        "description": "Only those the caller received and has something to do about."})


class NewReferralSchema(Body):
    receiver_id = identifier("member", required=True)
    prospect = text("prospect", 200, example="Riverside Café")
    need = text("what they need", 2000, example="A weekly bread delivery")
    warmth = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5, error=(
        "warmth must be from 1 (cold) to 5 (warm)")))
    circle_id = identifier("circle", load_default=None, allow_none=True)


class OptionalReasonSchema(Body):
    reason = text("reason", 1000, required=False)


class CloseBusinessSchema(Body):
    value = exact(str, MONEY_PATTERN, "1200.00", required=True)
    currency = currency(required=True)

    @validates_schema
    def check_money(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            parse_money(data["value"], data["currency"])
        except InvalidValue as error:
            raise ValidationError(str(error), "value") from None


class ThankSchema(Body):
    message = text("message", 1000, required=False)
