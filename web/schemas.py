"""The schema of every form on the portal, one class per form."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validates_schema

from domain.errors import InvalidValue
from domain.values import (
    check_warmth,
    clean_currency,
    clean_tags,
    normalise_email,
    parse_hours,
    parse_money,
)
from web.forms import Cleaned, FormSchema, identifier, secret, text

# Accounts


class SignInSchema(FormSchema):
    email = fields.String(required=True, error_messages={"required": "email is required"})
    password = secret("password")
    next = fields.String(load_default=None)


def _same(data: dict[str, Any], first: str, second: str) -> None:
    if first in data and second in data and data[first] != data[second]:
        raise ValidationError("the two passwords are not the same", second)


class SetPasswordSchema(FormSchema):
    password = secret("password")
    password_again = secret("the password, a second time")

    @validates_schema
    def check_same(self, data: dict[str, Any], **kwargs: Any) -> None:
        _same(data, "password", "password_again")


class ChangePasswordSchema(FormSchema):
    current_password = secret("your current password")
    new_password = secret("a new password")
    new_password_again = secret("the new password, a second time")

    @validates_schema
    def check_same(self, data: dict[str, Any], **kwargs: Any) -> None:
        _same(data, "new_password", "new_password_again")


class InviteSchema(FormSchema):
    email = Cleaned(normalise_email, "email", required=True)


# Members


class ProfileSchema(FormSchema):
    name = text("name", max_length=100)
    business = text("business", max_length=120, required=False)
    about = text("about", max_length=2000, required=False)


class WelcomeBackSchema(FormSchema):
    note = text("note", max_length=500, required=False)


class LeaveSchema(FormSchema):
    reason = text("reason", max_length=500, required=False)


# Gives


class GiveSchema(FormSchema):
    receiver_email = Cleaned(normalise_email, "the receiver's email", required=True)
    hours = Cleaned(parse_hours, "hours", required=True)
    description = text("description", max_length=1000)
    ask_id = identifier("the ask")
    offer_id = identifier("the offer")
    circle_id = identifier("the circle")


class DisputeSchema(FormSchema):
    reason = text("reason", max_length=1000)


class ReverseSchema(FormSchema):
    reason = text("reason for the reversal", max_length=1000)


# Offers and asks


class PostingSchema(FormSchema):
    title = text("title", max_length=120)
    description = text("description", max_length=4000, required=False)
    tags = Cleaned(clean_tags, "tags", load_default=[])
    circle_id = identifier("the circle")


# Referrals


class ReferralSchema(FormSchema):
    receiver_email = Cleaned(normalise_email, "the receiver's email", required=True)
    prospect = text("prospect", max_length=200)
    need = text("what they need", max_length=2000)
    warmth = Cleaned(check_warmth, "warmth", required=True)
    circle_id = identifier("the circle")


class ReasonSchema(FormSchema):
    reason = text("reason", max_length=1000, required=False)


class CloseBusinessSchema(FormSchema):
    value = fields.String(required=True, error_messages={"required": "the value is required"})
    currency = Cleaned(clean_currency, "currency", required=True)

    @validates_schema
    def check_money(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            parse_money(data["value"], data["currency"])
        except InvalidValue as error:
            raise ValidationError(str(error), "value") from None


class ThankSchema(FormSchema):
    message = text("message", max_length=1000, required=False)
