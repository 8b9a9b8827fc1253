"""The fair-share ledger, statements, contribution rules and distributions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.errors import InvalidValue
from domain.values import parse_money

from web.api.schemas.common import (
    MONEY_PATTERN,
    Body,
    Figure,
    Query,
    currency,
    exact,
    identifier,
    ref,
)

WEIGHT_PATTERN = r"^[0-9]{1,7}(\.[0-9]{1,6})?$"


class AsOfQuery(Query):
    as_of = fields.Date(load_default=None, metadata={
        "description": "Read the figures as they stood at the end of this day (UTC)."})


class LedgerQuery(AsOfQuery):
    circle = identifier("circle", load_default=None, metadata={
        "description": "A circle's ledger (with the circles within it); "
                       "without it, the whole network's."})


def money_by_currency(**kwargs: Any) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=Figure(), **kwargs)


class DisputedSchema(Schema):
    given = Figure(required=True)
    received = Figure(required=True)


class FiguresSchema(Schema):
    given = Figure(required=True, metadata={"description": "Hours given (confirmed)."})
    received = Figure(required=True)
    balance = Figure(required=True)
    index = Figure(required=True, allow_none=True, metadata={
        "description": "(given - received) / (given + received); null when inactive."})
    referrals_passed = fields.Integer(required=True)
    referrals_received = fields.Integer(required=True)
    closed_business = money_by_currency(required=True)


class MonthSchema(FiguresSchema):
    month = fields.String(required=True, metadata={"example": "2026-05"})


class MemberFiguresSchema(FiguresSchema):
    member_id = fields.UUID(required=True)
    name = fields.String(required=True)
    disputed = fields.Nested(DisputedSchema, required=True)
    months = fields.List(fields.Nested(MonthSchema), required=True)


class MemberLedgerSchema(MemberFiguresSchema):
    as_of = fields.Date(required=True, allow_none=True)


class ScopeSchema(Schema):
    circle_id = fields.UUID(required=True, allow_none=True)
    name = fields.String(required=True)


class ConcentrationSchema(Schema):
    gini = Figure(required=True, allow_none=True)
    top_10_share = Figure(required=True, allow_none=True)
    members = fields.Integer(required=True)


class LedgerSchema(Schema):
    scope = fields.Nested(ScopeSchema, required=True)
    as_of = fields.Date(required=True, allow_none=True)
    members = fields.List(fields.Nested(MemberFiguresSchema), required=True)
    totals = fields.Nested(FiguresSchema, required=True)
    months = fields.List(fields.Nested(MonthSchema), required=True)
    concentration = fields.Nested(ConcentrationSchema, required=True)


class StatementLineSchema(Schema):
    position = fields.Integer(required=True, metadata={
        "description": "The log position of the event behind this line."})
    at = fields.DateTime(required=True)
    kind = fields.String(required=True, metadata={"example": "given"})
    give_id = fields.UUID(required=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    counterparty = ref(required=True)
    hours = Figure(required=True)
    change = Figure(required=True)
    balance = Figure(required=True)


class DisputedLineSchema(Schema):
    position = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    kind = fields.String(required=True, metadata={"example": "disputed_given"})
    give_id = fields.UUID(required=True)
    circle_id = fields.UUID(required=True, allow_none=True)
    counterparty = ref(required=True)
    hours = Figure(required=True)


class StatementSchema(Schema):
    member = ref(required=True)
    as_of = fields.Date(required=True, allow_none=True)
    lines = fields.List(fields.Nested(StatementLineSchema), required=True)
    disputed = fields.List(fields.Nested(DisputedLineSchema), required=True)
    given = Figure(required=True)
    received = Figure(required=True)
    balance = Figure(required=True)
    index = Figure(required=True, allow_none=True)


# Contribution rules


class WeightsSchema(Schema):
    give_hour = Figure(required=True)
    referral_passed = Figure(required=True)
    per_1000_closed = Figure(required=True)


class RuleVersionSchema(Schema):
    version = fields.Integer(required=True)
    weights = fields.Nested(WeightsSchema, required=True)


class RuleSchema(Schema):
    circle_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    is_default = fields.Boolean(required=True)
    weights = fields.Nested(WeightsSchema, required=True)
    history = fields.List(fields.Nested(RuleVersionSchema), required=True)


def clean_weight(value: Any) -> str:
    """Return a weight as text, refusing what is not a number from 0 up."""
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidValue(f"a weight must be a number, not '{value}'") from None
    if not number.is_finite() or number < 0:
        raise InvalidValue("a weight is a number from 0 up")
    return str(number)


def weight() -> Any:
    return exact(clean_weight, WEIGHT_PATTERN, "1", required=True)


class NewRuleSchema(Body):
    give_hour = weight()
    referral_passed = weight()
    per_1000_closed = weight()


# Distributions


class ShareSchema(Schema):
    member_id = fields.UUID(required=True)
    weight = Figure(required=True)
    amount = Figure(required=True)


class DistributionSchema(Schema):
    id = fields.UUID(required=True)
    circle_id = fields.UUID(required=True)
    pool = Figure(required=True)
    currency = fields.String(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    rule_version = fields.Integer(required=True)
    weights = fields.Nested(WeightsSchema, required=True)
    shares = fields.List(fields.Nested(ShareSchema), required=True)
    total_weight = Figure(required=True)
    allocated = Figure(required=True)
    carried_forward = fields.Boolean(required=True)
    declared_by = fields.UUID(required=True)
    declared_at = fields.DateTime(required=True)


class DistributionLineSchema(Schema):
    id = fields.UUID(required=True)
    circle = ref(required=True)
    pool = Figure(required=True)
    currency = fields.String(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    rule_version = fields.Integer(required=True)
    declared_by = ref(required=True)
    declared_at = fields.DateTime(required=True)
    shares = fields.Integer(required=True, metadata={"description": "How many shares > 0."})
    carried_forward = fields.Boolean(required=True)


# The ledger counts in microseconds from 1970; nothing before it or far after is a period.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def period_day() -> fields.Date:
    return fields.Date(required=True, validate=validate.Range(
        FIRST_DAY, LAST_DAY, error=f"a day from {FIRST_DAY} to {LAST_DAY}"))


class NewDistributionSchema(Body):
    circle_id = identifier("circle", required=True)
    period_start = period_day()
    period_end = period_day()
    pool = exact(str, MONEY_PATTERN, "500.00", required=True)
    currency = currency(required=True)

    @validates_schema
    def check_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["period_end"] < data["period_start"]:
            raise ValidationError("the period ends before it starts", "period_end")

    @validates_schema
    def check_pool(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            parse_money(data["pool"], data["currency"])
        except InvalidValue as error:
            raise ValidationError(str(error).replace("the value", "the pool"), "pool") from None
