"""The proposal page: the proposal, its rules, what may be known of its count, the
signed-in member's own ballot and ballot form, objections, and the author's and
stewards' actions. Shared by the views whose forms post back to it.

Counts come only from ``Proposals.results`` (which hides what the rules hide); a
ballot's choice only from ``Ballots.mine``, the member's own.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import render_template

from domain import clock
from domain.counting.common import CONSENT, METHOD_NAMES
from domain.errors import ResultsHidden
from web.auth import is_steward, member_id, network
from web.forms import Form
from web.proposal_forms import (
    AmendSchema,
    ReasonSchema,
    RuleOutSchema,
    ballot_form,
    ballot_values,
    describe_choice,
)


def what_shows(proposal_id: UUID | str) -> dict[str, Any]:
    """Return what may be known of the count now: the service's results, or
    ``{"hidden": True}`` while the rules hide them."""
    try:
        return {**network().proposals.results(proposal_id), "hidden": False}
    except ResultsHidden:
        return {"hidden": True, "tally": None, "ballots": None, "outcome": None}


def render_proposal(proposal_id: UUID | str, *, ballot: Form | None = None,
                    withdraw: Form | None = None,
                    objection: tuple[str, int, Form] | None = None,
                    status: int = 200) -> tuple[str, int]:
    """Render the proposal page; a form that failed is shown as submitted."""
    net, me = network(), member_id()
    p = net.proposals.get(proposal_id)
    now = clock.now()
    state = p["state"]
    voting = state == "open" and p["closes_at"] > now
    voter = me in p["electorate"]
    mine = net.ballots.mine(p["id"], by=me) if voter and state in ("open", "closed") else None
    if ballot is None and voting and voter:
        ballot = ballot_form(p["method"], p["options"],
                             ballot_values(p["method"], mine["choice"] if mine else None))
    leads = p["author"] == me or is_steward()
    rules = p["rules"] or {}
    context = {
        "p": p, "rules": rules, "now": now, "voting": voting, "voter": voter,
        "counting_due": state == "open" and not voting,
        "time_left": p["closes_at"] - now if voting else None,
        "method_name": METHOD_NAMES[p["method"]],
        "mine": mine,
        "my_choice": describe_choice(p["method"], p["options"], mine["choice"])
        if mine and mine["cast"] else None,
        "ballot": ballot,
        "results": what_shows(p["id"]) if state in ("open", "closed") else None,
        "is_author": p["author"] == me,
        "may_lead": leads,
        "may_withdraw": leads and (state == "drafted" or voting),
        "may_close_early": is_steward() and voting and rules.get("allow_early_close"),
        "withdraw_form": withdraw or Form(ReasonSchema(), prefix="withdraw"),
        "objection_forms": _objection_forms(p, leads and voting, objection),
    }
    return render_template("proposals/show.html", **context), status


def _objection_forms(p: dict[str, Any], may_resolve: bool,
                     failed: tuple[str, int, Form] | None) -> dict[int, dict[str, Form]]:
    """Return, per open objection, the forms to resolve it (for the author or a steward)."""
    if p["method"] != CONSENT or not may_resolve:
        return {}
    forms = {}
    for o in p["objections"]:
        if o["status"] != "open":
            continue
        n = o["number"]
        forms[n] = {
            "amend": Form(AmendSchema(), {"amended_text": p["text"]}, prefix=f"amend-{n}"),
            "rule_out": Form(RuleOutSchema(), prefix=f"rule-out-{n}"),
        }
    if failed is not None:
        kind, n, form = failed
        forms.setdefault(n, {})[kind] = form
    return forms
