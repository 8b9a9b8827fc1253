"""A member's own gives and referrals as lists (the index pages of those two areas)."""

from __future__ import annotations

from flask import render_template
from marshmallow import fields

from domain.give import CONFIRMED, DISPUTED, PENDING, REVERSED
from domain.referral import ACCEPTED, CLOSED, DECLINED, LOST, MADE
from projections.activity_queries import GIVE_ROLES, REFERRAL_ROLES
from web.auth import member_id, network
from web.listing import PageArgs, choice, found, paging, read_args

GIVE_STATUSES = (PENDING, CONFIRMED, DISPUTED, REVERSED)
REFERRAL_STATUSES = (MADE, ACCEPTED, DECLINED, CLOSED, LOST)


def _waiting() -> fields.Boolean:
    return fields.Boolean(load_default=False, truthy={"1", "on", "yes", "true"},
                          falsy={"0", "off", "no", "false"},
                          error_messages={"invalid": "'waiting' is either on or off"})


class GivesArgs(PageArgs):
    role = choice("the side", GIVE_ROLES)
    status = choice("the status", GIVE_STATUSES)
    waiting = _waiting()


class ReferralsArgs(PageArgs):
    role = choice("the side", REFERRAL_ROLES)
    status = choice("the status", REFERRAL_STATUSES)
    waiting = _waiting()


def gives_page() -> tuple[str, int]:
    """Render one page of the signed-in member's gives, as the filters ask."""
    args = read_args(GivesArgs())
    page = None
    if not args.errors:
        page = found(network().activity.gives(member_id(), paging(args), **_filters(args.data)))
    return render_template("gives/index.html", args=args, page=page,
                           roles=[("", "Given and received"), ("given", "Given by me"),
                                  ("received", "Received by me")],
                           statuses=[("", "Any status"),
                                     *((s, s.capitalize()) for s in GIVE_STATUSES)]), args.status


def referrals_page() -> tuple[str, int]:
    """Render one page of the signed-in member's referrals, as the filters ask."""
    args = read_args(ReferralsArgs())
    page = None
    if not args.errors:
        page = found(network().activity.referrals(member_id(), paging(args),
                                                  **_filters(args.data)))
    return render_template("referrals/index.html", args=args, page=page,
                           roles=[("", "Made and received"), ("made", "Made by me"),
                                  ("received", "Received by me")],
                           statuses=[("", "Any status"),
                                     *((s, s.replace("_", " ").capitalize())
                                       for s in REFERRAL_STATUSES)]), args.status


def _filters(data: dict[str, object]) -> dict[str, object]:
    return {"role": data.get("role"), "status": data.get("status"),
            "waiting": bool(data.get("waiting"))}
