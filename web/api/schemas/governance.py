"""Proposals, ballots, tallies and delegations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from marshmallow import Schema, ValidationError, fields, validate

from domain.counting.common import BASES, MAX_OPTION_LENGTH, MAX_OPTIONS, METHODS
from domain.proposal import CLOSED, DRAFTED, OPEN, WITHDRAWN
from projections.decisions_queries import SECTIONS
from web.api.schemas.common import Body, PageQuery, identifier, no_controls, ref, text

STATES = (DRAFTED, OPEN, CLOSED, WITHDRAWN)
# "1/2", "0.5" or "50%": checked here first, so no huge figure reaches the arithmetic.
FRACTION_PATTERN = r"^([0-9]{1,3}(\.[0-9]{1,6})?%?|[0-9]{1,6}/[0-9]{1,6})$"
ANY_VALUE = {"description": "The method's own shape: text for yes_no and consent, a list "
                            "of option numbers for approval, irv and schulze."}


class ResultsSchema(Schema):
    """What may be known of the count now: nothing while results are hidden, only the
    number of ballots while a secret ballot is open."""

    hidden = fields.Boolean(required=True, metadata={
        "description": "True while the proposal's results are hidden until it closes."})
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    final = fields.Boolean(required=True)
    tally = fields.Dict(required=True, allow_none=True)
    ballots = fields.Integer(required=True, allow_none=True)
    outcome = fields.String(required=True, allow_none=True)
    winner = fields.Raw(required=True, allow_none=True, metadata={
        "description": "The winning option's number, when the method has one."})
    counting_version = fields.String()
    tie_break_seed = fields.String()
    early = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)


class ProposalSchema(Schema):
    id = fields.UUID(required=True)
    circle_id = fields.UUID(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True)
    text_version = fields.Integer(required=True)
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    options = fields.List(fields.String(), required=True)
    author = fields.UUID(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    drafted_at = fields.DateTime(required=True)
    rules = fields.Dict(required=True, allow_none=True)
    closes_at = fields.DateTime(required=True, allow_none=True)
    opened_at = fields.DateTime(required=True, allow_none=True)
    ended_at = fields.DateTime(required=True, allow_none=True)
    electorate = fields.List(fields.UUID(), required=True)
    electorate_hash = fields.String(required=True, allow_none=True)
    mandate = fields.Dict(required=True, allow_none=True)
    decided_under = fields.String(required=True, allow_none=True)
    tie_break_commitment = fields.String(required=True, allow_none=True)
    objections = fields.List(fields.Dict(), required=True)
    withdrawal_reason = fields.String(required=True, allow_none=True)
    results = fields.Nested(ResultsSchema, required=True)


class ProposalsQuery(PageQuery):
    section = fields.String(load_default="open", validate=validate.OneOf(SECTIONS), metadata={
        "description": "open (soonest closing first), drafts, outcomes or withdrawn "
                       "(newest first)."})
    circle = identifier("circle", load_default=None)


class ProposalLineSchema(Schema):
    """A proposal as the decision lists show it: outcomes only once closed."""

    id = fields.UUID(required=True)
    circle = ref(required=True)
    title = fields.String(required=True)
    method = fields.String(required=True)
    author = ref(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    drafted_at = fields.DateTime(required=True)
    opened_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    secret = fields.Boolean()
    hidden_results = fields.Boolean()
    closed_at = fields.DateTime()
    outcome = fields.String(allow_none=True)
    withdrawn_at = fields.DateTime()


class NewProposalSchema(Body):
    circle_id = identifier("circle", required=True)
    title = text("title", 200, example="Buy a shared delivery bike")
    text = text("text", 20000, example="We buy a cargo bike for deliveries, up to 3000 EUR.")
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    options = fields.List(fields.String(validate=[validate.Length(max=MAX_OPTION_LENGTH),
                                                  no_controls]),
                          load_default=list, validate=validate.Length(max=MAX_OPTIONS),
                          metadata={"description": "For approval, irv and schulze: 2 to 20."})


def fraction(default: str) -> fields.String:
    return fields.String(load_default=default, validate=validate.Regexp(
        FRACTION_PATTERN, error="a fraction like 1/2, 0.5 or 50%"), metadata={"example": default})


# Further ahead than this is a typo; and a time past the year 9999 in UTC could not be
# written in the audit log's time format.
MAX_VOTING_DAYS = 3660


def check_closing_time(moment: datetime) -> None:
    try:
        utc = moment.astimezone(timezone.utc)
    except OverflowError:
        raise ValidationError("that time cannot be a closing time") from None
    if utc > datetime.now(timezone.utc) + timedelta(days=MAX_VOTING_DAYS):
        raise ValidationError("voting may stay open for at most 10 years")


class OpenSchema(Body):
    closes_at = fields.AwareDateTime(required=True, validate=check_closing_time, metadata={
        "description": "When voting closes: a time with its zone, in the future "
                       "(at most 10 years ahead)."})
    quorum = fraction("0")
    threshold = fraction("1/2")
    strict = fields.Boolean(load_default=True)
    base = fields.String(load_default="yes+no", validate=validate.OneOf(BASES))
    secret = fields.Boolean(load_default=False)
    hidden_results = fields.Boolean(load_default=False)
    allow_early_close = fields.Boolean(load_default=False)
    delegation = fields.Boolean(load_default=False)


class WithdrawSchema(Body):
    reason = text("reason", 2000)


class BallotSchema(Body):
    choice = fields.Raw(required=True, metadata={
        **ANY_VALUE, "oneOf": [{"type": "string", "example": "yes"},
                               {"type": "array", "items": {"type": "integer"}}]})
    reason = text("reason", 2000, required=False)


class MyBallotSchema(Schema):
    cast = fields.Boolean(required=True)
    choice = fields.Raw(required=True, allow_none=True, metadata=ANY_VALUE)
    cast_at = fields.DateTime(required=True, allow_none=True)
    changed_at = fields.DateTime(required=True, allow_none=True)


class TallySchema(Schema):
    """A recount of a closed proposal from the events alone."""

    proposal_id = fields.UUID(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    tally = fields.Dict(required=True, allow_none=True)
    recorded = fields.Dict(required=True, allow_none=True)
    agrees = fields.Boolean(required=True, allow_none=True)
    problems = fields.List(fields.String(), required=True)
    checks = fields.List(fields.String(), required=True)


class DelegationSchema(Schema):
    circle_id = fields.UUID(required=True)
    delegate_id = fields.UUID(required=True, allow_none=True)


class NewDelegationSchema(Body):
    delegate_id = identifier("member", required=True)
