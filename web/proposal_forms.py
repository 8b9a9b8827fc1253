"""The forms of the governance pages: drafting, the rules of opening, and one ballot
form per counting method (ranking works without JavaScript: one "rank" select per
option, checked here for ranks given twice).

Field rules call the domain's own checks (fractions, text limits), so the page and the
services agree on every limit and message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from domain import clock
from domain.counting.common import (
    APPROVAL,
    BASES,
    CONSENT,
    IRV,
    MAX_OPTIONS,
    METHOD_NAMES,
    METHODS,
    SCHULZE,
    YES_NO,
    parse_fraction,
)
from domain.errors import InvalidValue
from web.forms import Cleaned, Form, FormSchema, text

RANKED = (IRV, SCHULZE)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
METHOD_CHOICES = [(m, METHOD_NAMES[m].capitalize()) for m in METHODS]


def method_field() -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(
        METHODS, error="choose one of the voting methods shown"),
        error_messages={"required": "the voting method is required"})


def options_of(value: Any) -> list[str]:
    """Return the options typed one per line, blank lines left out."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class DraftSchema(FormSchema):
    circle_id = fields.UUID(required=True, error_messages={
        "required": "choose the circle that decides", "invalid_uuid": "choose a circle"})
    title = text("title", max_length=200)
    text = text("text", max_length=20000)
    method = method_field()
    options = fields.String(load_default="")

    @validates_schema
    def check_options(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = options_of(data.get("options"))
        method = data.get("method")
        if method in (YES_NO, CONSENT) and given:
            raise ValidationError(f"a {METHOD_NAMES[method]} proposal takes no options "
                                  "of its own: leave the options empty", "options")
        if method not in (None, YES_NO, CONSENT) and not 2 <= len(given) <= MAX_OPTIONS:
            raise ValidationError(f"give 2 to {MAX_OPTIONS} options, one per line", "options")


class EditSchema(DraftSchema):
    circle_id = fields.UUID(load_default=None)


def closing_time(value: Any) -> datetime:
    """Return the closing time typed as a date and time (UTC), refusing one gone by."""
    try:
        moment = datetime.strptime(str(value).strip(), DATETIME_LOCAL).replace(
            tzinfo=timezone.utc)
    except ValueError:
        raise InvalidValue("the closing time must be a date and time like "
                           "2026-06-30T18:00") from None
    if moment <= clock.now():
        raise InvalidValue("the closing time must be in the future")
    return moment


def fraction(label: str) -> Cleaned:
    return Cleaned(lambda v: str(parse_fraction(str(v), label)), label, required=True)


class RulesSchema(FormSchema):
    closes_at = Cleaned(closing_time, "the closing time", required=True)
    quorum = fraction("the quorum")
    threshold = Cleaned(lambda v: str(parse_fraction(str(v), "the threshold")),
                        "the threshold", load_default="1/2")
    strict = fields.Boolean(load_default=False)
    base = fields.String(load_default="yes+no", validate=validate.OneOf(
        BASES, error=f"the base must be one of {', '.join(BASES)}"))
    secret = fields.Boolean(load_default=False)
    hidden_results = fields.Boolean(load_default=False)
    allow_early_close = fields.Boolean(load_default=False)
    delegation = fields.Boolean(load_default=False)


def blank_rules() -> dict[str, str]:
    """Return what the rules form starts with: a week from now at 18:00 UTC."""
    closes = (clock.now() + timedelta(days=7)).replace(hour=18, minute=0, second=0,
                                                       microsecond=0)
    return {"closes_at": closes.strftime(DATETIME_LOCAL), "quorum": "0",
            "threshold": "1/2", "strict": "on", "base": "yes+no"}


class ReasonSchema(FormSchema):
    reason = text("reason", max_length=2000)


class AmendSchema(FormSchema):
    amended_text = text("amended text", max_length=20000)
    note = text("note", max_length=2000, required=False)


class RuleOutSchema(FormSchema):
    note = text("reason for ruling it out", max_length=2000)


# Ballots
class YesNoBallot(FormSchema):
    choice = fields.String(required=True, validate=validate.OneOf(
        ("yes", "no", "abstain"), error="choose yes, no or abstain"),
        error_messages={"required": "choose yes, no or abstain"})


class ConsentBallot(FormSchema):
    choice = fields.String(required=True, validate=validate.OneOf(
        ("consent", "object"), error="choose consent or object"),
        error_messages={"required": "choose consent or object"})
    reason = text("reason", max_length=2000, required=False)


class RankingBallot(FormSchema):
    """One optional ``rank-N`` field per option (built per proposal)."""

    @validates_schema
    def check_ranks_differ(self, data: dict[str, Any], **kwargs: Any) -> None:
        by_rank: dict[int, list[str]] = {}
        for name, rank in data.items():
            if rank is not None:
                by_rank.setdefault(rank, []).append(name)
        twice = {name: [f"rank {rank} is given to more than one option: give each "
                        "rank once"]
                 for rank, names in by_rank.items() if len(names) > 1 for name in names}
        if twice:
            raise ValidationError(twice)


def ballot_form(method: str, options: Sequence[str],
                data: Mapping[str, Any] | None = None) -> Form:
    """Return the ballot form of a proposal's method, blank or as submitted."""
    return Form(ballot_schema(method, len(options)), data, prefix="ballot")


def ballot_schema(method: str, count: int) -> FormSchema:
    if method == YES_NO:
        return YesNoBallot()
    if method == CONSENT:
        return ConsentBallot()
    if method == APPROVAL:
        wrong = "choose among the options shown"
        approve = fields.List(fields.Integer(
            validate=validate.Range(0, count - 1, error=wrong),
            error_messages={"invalid": wrong}), load_default=list,
            error_messages={"invalid": wrong})
        return FormSchema.from_dict({"approve": approve}, name="ApprovalBallot")()
    ranks = {f"rank-{i}": fields.Integer(load_default=None, validate=validate.Range(
        1, count, error=f"a rank is a number from 1 to {count}, or not ranked"),
        error_messages={"invalid": f"a rank is a number from 1 to {count}, or not ranked"})
        for i in range(count)}
    return RankingBallot.from_dict(ranks, name="RankingBallot")()


def submitted_ballot(method: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ballot fields of a posted form, checkbox lists kept whole."""
    if method == APPROVAL:
        return {"approve": form.getlist("approve")}  # type: ignore[attr-defined]
    return {k: v for k, v in form.items() if k != "csrf_token"}


def choice_of(method: str, data: Mapping[str, Any]) -> tuple[Any, str]:
    """Return (the choice for the ballot service, the reason) from a valid form."""
    if method in (YES_NO, CONSENT):
        return data["choice"], data.get("reason", "") if method == CONSENT else ""
    if method == APPROVAL:
        return sorted(set(data["approve"])), ""
    ranked = sorted((rank, int(name.split("-")[1])) for name, rank in data.items()
                    if rank is not None)
    return [option for _, option in ranked], ""


def ballot_values(method: str, choice: Any) -> dict[str, Any]:
    """Return a cast choice as the form's values, to show the ballot as it stands."""
    if choice is None:
        return {}
    if method in (YES_NO, CONSENT):
        return {"choice": choice}
    if method == APPROVAL:
        return {"approve": [str(i) for i in choice]}
    return {f"rank-{option}": str(rank) for rank, option in enumerate(choice, 1)}


def describe_choice(method: str, options: Sequence[str], choice: Any) -> str:
    """Return a choice in words: "Yes", "Object", "Bakery, Garden", "1. Red, 2. Blue"."""
    if method in (YES_NO, CONSENT):
        return str(choice).capitalize()
    if not choice:
        return "nothing: a blank ballot"
    if method == APPROVAL:
        return ", ".join(options[i] for i in choice)
    return ", ".join(f"{rank}. {options[i]}" for rank, i in enumerate(choice, 1))
